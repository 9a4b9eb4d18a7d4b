package org.spherenet.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The window sums behind SphereConv's patch norms ({@link SphereConv2d#windowSum}), against a
 * float64 loop over the windows: values and the gradient (each input position receives the sum of
 * the upstream values of the windows that contain it), for square and oblong kernels, strides,
 * and padding up to more than half the kernel.
 */
class WindowSumTest {

    private static final int BATCH = 2;
    private static final int HEIGHT = 7;
    private static final int WIDTH = 6;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static Stream<Arguments> cases() {
        int[][] kernels = {{1, 1}, {3, 3}, {5, 3}, {2, 4}};
        int[][] strides = {{1, 1}, {2, 2}, {2, 1}};
        int[][] paddings = {{0, 0}, {1, 1}, {2, 1}, {3, 3}};
        List<Arguments> cases = new ArrayList<>();
        for (int[] k : kernels) {
            for (int[] s : strides) {
                for (int[] p : paddings) {
                    for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                        cases.add(Arguments.of(k, s, p, type));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "kernel {0}, stride {1}, padding {2}, {3}")
    @MethodSource("cases")
    void matchesTheWindowsOfAConvolution(int[] kernel, int[] stride, int[] padding, DataType type) {
        int outH = (HEIGHT + 2 * padding[0] - kernel[0]) / stride[0] + 1;
        int outW = (WIDTH + 2 * padding[1] - kernel[1]) / stride[1] + 1;
        Random random =
                new Random(kernel[0] * 1000 + kernel[1] * 100 + stride[0] * 10 + padding[0]);
        double[] map = Numerics.gaussian(random, BATCH * HEIGHT * WIDTH, 1);
        double[] upstream = Numerics.gaussian(random, BATCH * outH * outW, 1);

        double[] expected = new double[upstream.length];
        double[] expectedGradient = new double[map.length];
        for (int b = 0; b < BATCH; b++) {
            for (int oh = 0; oh < outH; oh++) {
                for (int ow = 0; ow < outW; ow++) {
                    int out = (b * outH + oh) * outW + ow;
                    int top = oh * stride[0] - padding[0];
                    int left = ow * stride[1] - padding[1];
                    for (int i = top; i < top + kernel[0]; i++) {
                        for (int j = left; j < left + kernel[1]; j++) {
                            if (i >= 0 && i < HEIGHT && j >= 0 && j < WIDTH) {
                                int in = (b * HEIGHT + i) * WIDTH + j;
                                expected[out] += map[in];
                                expectedGradient[in] += upstream[out];
                            }
                        }
                    }
                }
            }
        }

        try (NDManager m = manager.newSubManager()) {
            double[][] actual = Numerics.outputAndGradients(
                    in -> SphereConv2d.windowSum(
                            in[0],
                            new Shape(kernel[0], kernel[1]),
                            new Shape(stride[0], stride[1]),
                            new Shape(padding[0], padding[1])),
                    upstream,
                    Numerics.array(m, map, new Shape(BATCH, 1, HEIGHT, WIDTH), type));
            // the same terms in another order: float64 agrees to rounding, float32 to its own
            double tolerance = type == DataType.FLOAT64 ? 1e-14 : 1e-6;
            assertThat(actual[0]).hasSize(expected.length);
            assertThat(Numerics.relativeError(actual[0], expected)).isLessThan(tolerance);
            assertThat(Numerics.relativeError(actual[1], expectedGradient)).isLessThan(tolerance);
        }
    }
}
