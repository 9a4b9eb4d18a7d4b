package org.spherenet.nn;

/**
 * An independent float64 SphereConv, written from the definitions (DESIGN section 3 and PAPER
 * section 1.4) with plain loops over patches: no DJL, no vectorisation, nothing shared with the
 * code under test. Arrays are flat, row-major NCHW.
 */
final class ReferenceSphereConv {

    static final double EPS = 1e-4;

    /** The angular functions as float64 formulas with their derivatives. */
    enum G {
        LINEAR,
        COSINE,
        SIGMOID,
        LEARNABLE;

        /** g(theta) for curvature k (ignored by linear and cosine). */
        double value(double theta, double k) {
            switch (this) {
                case LINEAR:
                    return 1 - 2 * theta / Math.PI;
                case COSINE:
                    return Math.cos(theta);
                default:
                    // the paper's own form, C_k (1 - e^z) / (1 + e^z), not the tanh form
                    double z = theta / k - Math.PI / (2 * k);
                    double ck = (1 + Math.exp(-Math.PI / (2 * k))) / (1 - Math.exp(-Math.PI / (2 * k)));
                    return ck * (1 - Math.exp(z)) / (1 + Math.exp(z));
            }
        }

        /** dg/dcos at cos = c. */
        double slope(double c, double k) {
            switch (this) {
                case COSINE:
                    return 1;
                case LINEAR:
                    return (2 / Math.PI) / Math.sqrt(1 - c * c);
                default:
                    double theta = Math.acos(c);
                    double z = theta / k - Math.PI / (2 * k);
                    double ck = (1 + Math.exp(-Math.PI / (2 * k))) / (1 - Math.exp(-Math.PI / (2 * k)));
                    double dgdtheta = -ck * (2 / k) * Math.exp(z) / Math.pow(1 + Math.exp(z), 2);
                    return dgdtheta * (-1 / Math.sqrt(1 - c * c));
            }
        }

        /** dg/dk at cos = c, by the quotient rule on the paper's form. */
        double dk(double c, double k) {
            double theta = Math.acos(c);
            double e = Math.exp(-Math.PI / (2 * k));
            double ck = (1 + e) / (1 - e);
            double dck = (e * Math.PI / (2 * k * k)) * 2 / Math.pow(1 - e, 2);
            double z = theta / k - Math.PI / (2 * k);
            double dz = -(theta - Math.PI / 2) / (k * k);
            double s = (1 - Math.exp(z)) / (1 + Math.exp(z));
            double ds = -2 * Math.exp(z) / Math.pow(1 + Math.exp(z), 2) * dz;
            return dck * s + ck * ds;
        }
    }

    final int batch, inC, height, width, outC, kh, kw, stride, pad, outH, outW;

    ReferenceSphereConv(int batch, int inC, int height, int width, int outC, int k, int stride, int pad) {
        this.batch = batch;
        this.inC = inC;
        this.height = height;
        this.width = width;
        this.outC = outC;
        this.kh = k;
        this.kw = k;
        this.stride = stride;
        this.pad = pad;
        this.outH = (height + 2 * pad - k) / stride + 1;
        this.outW = (width + 2 * pad - k) / stride + 1;
    }

    int outSize() {
        return batch * outC * outH * outW;
    }

    double x(double[] x, int b, int c, int h, int w) {
        return x[((b * inC + c) * height + h) * width + w];
    }

    int wIndex(int o, int c, int i, int j) {
        return ((o * inC + c) * kh + i) * kw + j;
    }

    /** The cosines, (batch, outC, outH, outW). */
    double[] cosines(double[] x, double[] w) {
        return cosines(x, w, EPS);
    }

    /** The cosines with {@code eps} in place of 1e-4 under both square roots (0: the exact cosine). */
    double[] cosines(double[] x, double[] w, double eps) {
        double[] out = new double[outSize()];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outC; o++) {
                double wn = Math.sqrt(kernelEnergy(w, o) + eps);
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        double dot = 0;
                        double energy = 0;
                        for (int c = 0; c < inC; c++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int h = oh * stride - pad + i;
                                    int ww = ow * stride - pad + j;
                                    if (h < 0 || h >= height || ww < 0 || ww >= width) {
                                        continue; // zero padding adds nothing
                                    }
                                    double xv = x(x, b, c, h, ww);
                                    dot += w[wIndex(o, c, i, j)] * xv;
                                    energy += xv * xv;
                                }
                            }
                        }
                        out[((b * outC + o) * outH + oh) * outW + ow] =
                                dot / (wn * Math.sqrt(energy + eps));
                    }
                }
            }
        }
        return out;
    }

    /** The sum of squares of the (zero-padded) patch under output position (oh, ow) of sample b. */
    double patchEnergy(double[] x, int b, int oh, int ow) {
        double s = 0;
        for (int c = 0; c < inC; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int h = oh * stride - pad + i;
                    int ww = ow * stride - pad + j;
                    if (h >= 0 && h < height && ww >= 0 && ww < width) {
                        s += x(x, b, c, h, ww) * x(x, b, c, h, ww);
                    }
                }
            }
        }
        return s;
    }

    double kernelEnergy(double[] w, int o) {
        double s = 0;
        for (int c = 0; c < inC; c++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    s += w[wIndex(o, c, i, j)] * w[wIndex(o, c, i, j)];
                }
            }
        }
        return s;
    }

    /** k for output channel o: the fixed k, or |kappa_o| + 0.05. */
    static double curvature(G g, double fixedK, double[] kappa, int o) {
        return g == G.LEARNABLE ? Math.abs(kappa[o]) + 0.05 : fixedK;
    }

    double[] forward(double[] x, double[] w, G g, double k, double[] kappa) {
        double[] c = cosines(x, w);
        double[] out = new double[c.length];
        for (int n = 0; n < c.length; n++) {
            int o = (n / (outH * outW)) % outC;
            out[n] = g == G.COSINE ? c[n] : g.value(Math.acos(c[n]), curvature(g, k, kappa, o));
        }
        return out;
    }

    /** Gradients of {@code sum(upstream * forward)}: {dx, dw, dkappa}, by the chain rule of PAPER 1.4. */
    double[][] gradients(double[] x, double[] w, G g, double k, double[] kappa, double[] upstream) {
        double[] c = cosines(x, w);
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        double[] dkappa = new double[outC];
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outC; o++) {
                double a2 = kernelEnergy(w, o) + EPS;
                double a = Math.sqrt(a2);
                double ko = curvature(g, k, kappa, o);
                for (int oh = 0; oh < outH; oh++) {
                    for (int ow = 0; ow < outW; ow++) {
                        int n = ((b * outC + o) * outH + oh) * outW + ow;
                        double cos = c[n];
                        double delta = upstream[n];
                        if (g == G.LEARNABLE) {
                            dkappa[o] += delta * g.dk(cos, ko) * Math.signum(kappa[o]);
                        }
                        double gradC = delta * g.slope(cos, ko);
                        double b2 = EPS;
                        for (int ci = 0; ci < inC; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int h = oh * stride - pad + i;
                                    int ww = ow * stride - pad + j;
                                    if (h >= 0 && h < height && ww >= 0 && ww < width) {
                                        b2 += Math.pow(x(x, b, ci, h, ww), 2);
                                    }
                                }
                            }
                        }
                        double bn = Math.sqrt(b2);
                        for (int ci = 0; ci < inC; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int h = oh * stride - pad + i;
                                    int ww = ow * stride - pad + j;
                                    int wi = wIndex(o, ci, i, j);
                                    // dc/dw = x/(a b) - c w/a^2 ; dc/dx = w/(a b) - c x/b^2
                                    dw[wi] -= gradC * cos * w[wi] / a2;
                                    if (h < 0 || h >= height || ww < 0 || ww >= width) {
                                        continue; // a padded x is 0: only the kernel-norm term
                                    }
                                    int xi = ((b * inC + ci) * height + h) * width + ww;
                                    dw[wi] += gradC * x[xi] / (a * bn);
                                    dx[xi] += gradC * (w[wi] / (a * bn) - cos * x[xi] / b2);
                                }
                            }
                        }
                    }
                }
            }
        }
        return new double[][] {dx, dw, dkappa};
    }
}
