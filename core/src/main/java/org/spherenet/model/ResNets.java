package org.spherenet.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.spherenet.nn.FusedBackward;

/**
 * Residual networks with any {@link Operator}: the authors' CIFAR SphereResNet-32 (a 3x3 root conv
 * of 96, three stages of five basic units of widths 96 / 192 / 384, stride 2 at the start of stages
 * 2 and 3) and the ImageNet-style ResNet-18 / 34 (7x7/2 root of 64, 3x3/2 max-pool, four stages
 * [2,2,2,2] / [3,4,6,3] of widths 64..512). A basic unit is conv-BN-ReLU-conv-BN plus the shortcut,
 * then ReLU; the shortcut is the identity, or a plain 1x1 conv + BN where the shape changes.
 */
public final class ResNets {

    private ResNets() {}

    /** SphereResNet-32 / ResNet-32 for CIFAR-sized input. */
    public static SequentialBlock cifar(ModelSpec spec) {
        if (spec.depth() != 32) {
            throw new IllegalArgumentException("the CIFAR ResNet family has depth 32, got " + spec.depth());
        }
        SequentialBlock net = new ReleasingSequentialBlock();
        int root = spec.scaled(96);
        net.add(spec.style().unit(root, 3, 1, 1, true));
        addStages(net, spec, root, new int[] {96, 192, 384}, new int[] {5, 5, 5});
        return finish(net, spec);
    }

    /** ResNet-18 / 34 with the operator, ImageNet-style. */
    public static SequentialBlock imageNet(ModelSpec spec) {
        int[] units;
        if (spec.depth() == 18) {
            units = new int[] {2, 2, 2, 2};
        } else if (spec.depth() == 34) {
            units = new int[] {3, 4, 6, 3};
        } else {
            throw new IllegalArgumentException(
                    "the ImageNet ResNet family has depth 18 or 34, got " + spec.depth());
        }
        SequentialBlock net = new ReleasingSequentialBlock();
        int root = spec.scaled(64);
        net.add(spec.style().unit(root, 7, 2, 3, true));
        net.add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        addStages(net, spec, root, new int[] {64, 128, 256, 512}, units);
        return finish(net, spec);
    }

    private static void addStages(
            SequentialBlock net, ModelSpec spec, int inChannels, int[] widths, int[] units) {
        int channels = inChannels;
        for (int stage = 0; stage < widths.length; stage++) {
            int filters = spec.scaled(widths[stage]);
            for (int unit = 0; unit < units[stage]; unit++) {
                int stride = stage > 0 && unit == 0 ? 2 : 1;
                net.add(basicUnit(spec.style(), channels, filters, stride));
                channels = filters;
            }
        }
    }

    private static SequentialBlock finish(SequentialBlock net, ModelSpec spec) {
        net.add(Pool.globalAvgPool2dBlock());
        net.add(Blocks.batchFlattenBlock());
        net.add(spec.head().block(spec.classes()));
        return net;
    }

    static Block basicUnit(ConvStyle style, int inChannels, int filters, int stride) {
        Block main =
                new ReleasingSequentialBlock()
                        .add(style.unit(filters, 3, stride, 1, true))
                        .add(style.unit(filters, 3, 1, 1, false));
        Block shortcut =
                inChannels == filters && stride == 1
                        ? Blocks.identityBlock()
                        : new ConvStyle(Operator.plain(), false, false, true, style.batchNormStyle())
                                .unit(filters, 1, stride, 0, false);
        return new ReleasingSequentialBlock()
                .add(
                        new BranchingBlock(
                                outputs ->
                                        new NDList(
                                                outputs.get(0)
                                                        .singletonOrThrow()
                                                        .add(outputs.get(1).singletonOrThrow())),
                                Arrays.asList(main, shortcut)))
                .add(Activation.reluBlock());
    }

    /**
     * The residual unit's two paths. With fused SphereConvs ({@link FusedBackward}) it cuts the
     * graph where its input feeds both, so the backward pass walks the network below once; as a
     * subclass rather than another block, parameter names and saved models stay as they were.
     */
    private static final class BranchingBlock extends ParallelBlock {

        BranchingBlock(Function<List<NDList>, NDList> join, List<Block> paths) {
            super(join, paths);
        }

        @Override
        protected NDList forwardInternal(
                ParameterStore parameterStore,
                NDList inputs,
                boolean training,
                PairList<String, Object> params) {
            NDList cut = new NDList(FusedBackward.cut(inputs.singletonOrThrow()));
            return super.forwardInternal(parameterStore, cut, training, params);
        }
    }
}
