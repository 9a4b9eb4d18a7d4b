package org.spherenet.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@code gradients.jsonl}: every {@code every} iterations, the norm of each layer's weight
 * and of its gradient (the weights of convolutions and classifiers, in network order). This is
 * what shows vanishing or exploding gradients layer by layer. Rows are kept in memory and the file
 * is rewritten atomically at each evaluation and at the end; on resume, rows past the checkpoint
 * are dropped, as in {@link MetricsLog}.
 */
public final class GradientLog implements TrainingListener {

    public static final String FILE = "gradients.jsonl";

    /** One layer at one iteration. */
    public record Layer(String name, double gradient, double weight) {}

    /** All layers at one iteration. */
    public record Row(long iteration, List<Layer> layers) {}

    private final Path dir;
    private final long every;
    private final List<Row> rows = new ArrayList<>();

    /**
     * @param dir the run folder
     * @param every iterations between rows ({@code > 0})
     */
    public GradientLog(Path dir, long every) {
        if (every <= 0) {
            throw new IllegalArgumentException("gradient log interval must be > 0, got " + every);
        }
        this.dir = dir;
        this.every = every;
    }

    /** The rows of a run folder's gradient log (empty if it has none). */
    public static List<Row> read(Path dir) throws IOException {
        return JsonLines.read(dir.resolve(FILE), Row.class);
    }

    @Override
    public void onStart(TrainConfig config, long startIteration) {
        rows.addAll(JsonLines.readUpTo(dir.resolve(FILE), Row.class, Row::iteration, startIteration,
                "gradient log"));
    }

    @Override
    public void onGradients(long iteration, List<TrainableParameter> params) {
        if (iteration % every != 0) {
            return;
        }
        List<Layer> layers = new ArrayList<>();
        for (TrainableParameter p : params) {
            // kernels and classifier matrices; BatchNorm vectors and kappas say little per layer
            if (p.array().getShape().dimension() >= 2) {
                layers.add(new Layer(p.name(),
                        Scalars.value(p.array().getGradient().norm()),
                        Scalars.value(p.array().norm())));
            }
        }
        rows.add(new Row(iteration, layers));
    }

    @Override
    public void onEvaluation(Metrics metrics) {
        write();
    }

    @Override
    public void onEnd(Summary summary) {
        write();
    }

    private void write() {
        try {
            JsonLines.write(dir.resolve(FILE), rows);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
