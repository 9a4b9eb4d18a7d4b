package org.spherenet.model;

import ai.djl.nn.Block;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.spherenet.nn.Angular;

/**
 * The network registry: every network by name, built from a few parameters (timm's model
 * registry in spirit). A SphereNet and its CNN twin are the same entry with another operator.
 */
public final class Models {

    /** A named network: its family, depth and default operator. */
    public record Entry(String name, String family, int depth, Operator defaultOperator, String description) {}

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();
    private static final Map<String, Function<ModelSpec, Block>> FAMILIES =
            Map.of(
                    "plain", PlainNet::build,
                    "resnet-cifar", ResNets::cifar,
                    "resnet-imagenet", ResNets::imageNet);

    static {
        Operator sphere = Operator.sphere(Angular.linear());
        for (int depth : new int[] {9, 18, 38, 69}) {
            register("spherenet" + depth, "plain", depth, sphere, "plain SphereNet, 3 stages");
            register("cnn" + depth, "plain", depth, Operator.plain(), "plain CNN twin");
        }
        register("sphereresnet32", "resnet-cifar", 32, sphere, "CIFAR SphereResNet");
        register("resnet32", "resnet-cifar", 32, Operator.plain(), "CIFAR ResNet");
        for (int depth : new int[] {18, 34}) {
            register("sphereresnet" + depth, "resnet-imagenet", depth, sphere, "ImageNet-style");
            register("resnet" + depth, "resnet-imagenet", depth, Operator.plain(), "ImageNet-style");
        }
    }

    private Models() {}

    private static void register(
            String name, String family, int depth, Operator operator, String description) {
        ENTRIES.put(name, new Entry(name, family, depth, operator, description));
    }

    /** All registered networks, in a stable order. */
    public static Iterable<Entry> entries() {
        return ENTRIES.values();
    }

    /**
     * Looks a network up by name.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Entry entry(String name) {
        Entry e = ENTRIES.get(name.toLowerCase(java.util.Locale.ROOT));
        if (e == null) {
            throw new IllegalArgumentException(
                    "unknown model '" + name + "' (known: " + String.join(", ", ENTRIES.keySet()) + ")");
        }
        return e;
    }

    /** Builds the network a spec describes. */
    public static Block build(ModelSpec spec) {
        Function<ModelSpec, Block> family = FAMILIES.get(spec.family());
        if (family == null) {
            throw new IllegalArgumentException("unknown network family '" + spec.family() + "'");
        }
        return family.apply(spec);
    }
}
