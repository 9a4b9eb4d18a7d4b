package org.spherenet.train;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The JSON of every file the tool writes: a number that is NaN or infinite (a value never
 * measured, a rate over no time) is written as {@code null}. JSON has no such numbers, and Jackson
 * would otherwise write the string {@code "NaN"} where a reader expects a number. Reading back, a
 * {@code null} in a {@code double} becomes NaN again (Jackson would make it 0).
 */
public final class FiniteJson {

    private FiniteJson() {}

    /** A new mapper with the rule above. */
    public static ObjectMapper mapper() {
        return new ObjectMapper().registerModule(module());
    }

    /** The rule as a Jackson module, for mappers configured elsewhere. */
    public static SimpleModule module() {
        SimpleModule module = new SimpleModule("FiniteJson");
        JsonSerializer<Double> doubles = new JsonSerializer<>() {
            @Override
            public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                write(value, gen);
            }
        };
        JsonSerializer<Float> floats = new JsonSerializer<>() {
            @Override
            public void serialize(Float value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                write(value.doubleValue(), gen);
            }
        };
        module.addSerializer(Double.class, doubles);
        module.addSerializer(Double.TYPE, doubles);
        module.addSerializer(Float.class, floats);
        module.addSerializer(Float.TYPE, floats);
        // Jackson writes primitive arrays without looking at the element serialisers
        module.addSerializer(double[].class, new JsonSerializer<>() {
            @Override
            public void serialize(double[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartArray(values, values.length);
                for (double v : values) {
                    write(v, gen);
                }
                gen.writeEndArray();
            }
        });
        module.addSerializer(float[].class, new JsonSerializer<>() {
            @Override
            public void serialize(float[] values, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartArray(values, values.length);
                for (float v : values) {
                    write(v, gen);
                }
                gen.writeEndArray();
            }
        });
        module.addDeserializer(Double.TYPE, new NullAsNaN());
        return module;
    }

    private static void write(double value, JsonGenerator gen) throws IOException {
        if (Double.isFinite(value)) {
            gen.writeNumber(value);
        } else {
            gen.writeNull();
        }
    }

    /** A {@code double} read from a number, a {@code null} (NaN) or, in files written before, "NaN". */
    private static final class NullAsNaN extends StdScalarDeserializer<Double> {

        NullAsNaN() {
            super(Double.TYPE);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                try {
                    return Double.parseDouble(p.getText().trim());
                } catch (NumberFormatException e) {
                    return (Double) ctxt.handleWeirdStringValue(Double.TYPE, p.getText(), "not a number");
                }
            }
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            return (Double) ctxt.handleUnexpectedToken(Double.TYPE, p);
        }

        @Override
        public Double getNullValue(DeserializationContext ctxt) {
            return Double.NaN;
        }
    }
}
