/*
 * The kernels of sphere_kernels.c for one precision: it includes this file once with T = float
 * and once with T = double (with the names and the vector functions to match). Each works one
 * sample at a time: its channels x positions (at most a few hundred KB) stay in cache while they
 * go through the whole chain.
 */

static void FORWARD(const T *dots, const T *pn, T *out, long batch, long channels, long spatial,
                    int kind, T a, T b, T bound) {
    long slab = channels * spatial;
    for (long n = 0; n < batch; n++) {
        const T *p = pn + n * spatial;
        const T *x = dots + n * slab;
        T *g = out + n * slab;
        for (long ch = 0; ch < channels; ch++) {
            for (long s = 0; s < spatial; s++) {
                g[ch * spatial + s] = x[ch * spatial + s] / p[s];
            }
        }
        if (kind == COSINE) {
            continue;
        }
        for (long i = 0; i < slab; i++) {
            T below = g[i] > bound ? bound : g[i];
            g[i] = below < -bound ? -bound : below;
        }
        ASIN(g, slab);
        for (long i = 0; i < slab; i++) {
            g[i] = g[i] * a;
        }
        if (kind == SIGMOID) {
            TANH(g, slab);
            for (long i = 0; i < slab; i++) {
                g[i] = g[i] / b;
            }
        }
    }
}

/*
 * One sample's backward pass after tanh: dL/dc from dL/dg (t: tanh's output, for the sigmoid),
 * then the division's backward, grad / pn into d and -grad * ((dots / pn) / pn) summed over the
 * channels in order into acc. Inlined once per kind, so that each loop is vectorised for its own
 * function (a kind tested inside the loop made gcc read t even where there is none).
 */
static inline __attribute__((always_inline)) void BACKWARD_SAMPLE(
        const T *restrict dg, const T *restrict x, const T *restrict p, const T *restrict t,
        T *restrict d, T *restrict acc, long channels, long spatial, int kind, T a, T b,
        T bound) {
    for (long s = 0; s < spatial; s++) {
        acc[s] = 0;
    }
    for (long ch = 0; ch < channels; ch++) {
        for (long s = 0; s < spatial; s++) {
            long i = ch * spatial + s;
            T c = x[i] / p[s];
            T di = dg[i];
            if (kind == SIGMOID) {
                di = (di / b) * (1 - t[i] * t[i]);
            }
            if (kind != COSINE) {
                /* asin's backward grad * (1 - c*c).rsqrt(); the clamp passes the gradient only
                   inside its bounds (NaN: nowhere) */
                T below = c > bound ? bound : c;
                T clamped = below < -bound ? -bound : below;
                T r = 1 / SQRT(-clamped * clamped + 1);
                T v = (di * a) * r;
                di = clamped == c ? v : 0;
            }
            d[i] = di / p[s];
            acc[s] += -di * (c / p[s]);
        }
    }
}

/* returns 0 when out of memory */
static int BACKWARD(const T *grad, const T *dots, const T *pn, T *gradDots, T *gradPn,
                    long batch, long channels, long spatial, int kind, T a, T b, T bound) {
    long slab = channels * spatial;
    T *t = kind == SIGMOID ? malloc((size_t) slab * sizeof(T)) : NULL;
    if (kind == SIGMOID && t == NULL) {
        return 0;
    }
    for (long n = 0; n < batch; n++) {
        const T *p = pn + n * spatial;
        const T *x = dots + n * slab;
        const T *dg = grad + n * slab;
        T *d = gradDots + n * slab;
        T *acc = gradPn + n * spatial;
        if (kind == COSINE) {
            BACKWARD_SAMPLE(dg, x, p, NULL, d, acc, channels, spatial, COSINE, a, b, bound);
        } else if (kind == LINEAR) {
            BACKWARD_SAMPLE(dg, x, p, NULL, d, acc, channels, spatial, LINEAR, a, b, bound);
        } else {
            /* tanh's output, recomputed: its backward is grad * (1 - t*t) */
            for (long ch = 0; ch < channels; ch++) {
                for (long s = 0; s < spatial; s++) {
                    T c = x[ch * spatial + s] / p[s];
                    T below = c > bound ? bound : c;
                    t[ch * spatial + s] = below < -bound ? -bound : below;
                }
            }
            ASIN(t, slab);
            for (long i = 0; i < slab; i++) {
                t[i] = t[i] * a;
            }
            TANH(t, slab);
            BACKWARD_SAMPLE(dg, x, p, t, d, acc, channels, spatial, SIGMOID, a, b, bound);
        }
    }
    free(t);
    return 1;
}

/*
 * The patch norm, sqrt(conv(x^2, ones(1, channels, kh, kw)) + eps) with the convolution's stride
 * and zero padding: one norm per sample and output position. Summed as SphereConv2d.patchNorm
 * sums it (the squares over the channels, then every window's columns, then its rows).
 */
/* returns 0 when out of memory */
static int PATCH_NORM(const T *x, T *pn, long batch, const Windows *g, T eps) {
    long plane = g->height * g->width;
    T *energy = malloc((size_t) plane * sizeof(T));
    T *rows = malloc((size_t) (g->height * g->outW) * sizeof(T));
    if (energy == NULL || rows == NULL) {
        free(energy);
        free(rows);
        return 0;
    }
    for (long n = 0; n < batch; n++) {
        const T *xs = x + n * g->channels * plane;
        T *p = pn + n * g->outH * g->outW;
        for (long s = 0; s < plane; s++) {
            energy[s] = xs[s] * xs[s];
        }
        for (long ch = 1; ch < g->channels; ch++) {
            const T *xc = xs + ch * plane;
            for (long s = 0; s < plane; s++) {
                energy[s] += xc[s] * xc[s];
            }
        }
        for (long i = 0; i < g->height; i++) {
            for (long o = 0; o < g->outW; o++) {
                long first = o * g->sw - g->pw;
                long from = first < 0 ? 0 : first;
                long to = first + g->kw < g->width ? first + g->kw : g->width;
                T sum = 0;
                for (long j = from; j < to; j++) {
                    sum += energy[i * g->width + j];
                }
                rows[i * g->outW + o] = sum;
            }
        }
        for (long o = 0; o < g->outH; o++) {
            long first = o * g->sh - g->ph;
            long from = first < 0 ? 0 : first;
            long to = first + g->kh < g->height ? first + g->kh : g->height;
            for (long w = 0; w < g->outW; w++) {
                T sum = 0;
                for (long i = from; i < to; i++) {
                    sum += rows[i * g->outW + w];
                }
                p[o * g->outW + w] = SQRT(sum + eps);
            }
        }
    }
    free(energy);
    free(rows);
    return 1;
}

/*
 * The patch norm's backward pass, as autograd takes it through SphereConv2d.patchNorm: the square
 * root's grad / (2 * pn), spread back over the windows (rows, then columns), then the square's
 * grad * (2 * x) on every channel. Writes dL/dx (shaped as x).
 */
static int PATCH_NORM_BACKWARD(const T *x, const T *pn, const T *gradPn, T *gradX, long batch,
                               const Windows *g) {
    long plane = g->height * g->width;
    long outPlane = g->outH * g->outW;
    T *t = malloc((size_t) outPlane * sizeof(T));
    T *rows = malloc((size_t) (g->height * g->outW) * sizeof(T));
    T *energy = malloc((size_t) plane * sizeof(T));
    if (t == NULL || rows == NULL || energy == NULL) {
        free(t);
        free(rows);
        free(energy);
        return 0;
    }
    for (long n = 0; n < batch; n++) {
        const T *p = pn + n * outPlane;
        const T *dp = gradPn + n * outPlane;
        for (long s = 0; s < outPlane; s++) {
            t[s] = dp[s] / (2 * p[s]);
        }
        for (long s = 0; s < g->height * g->outW; s++) {
            rows[s] = 0;
        }
        for (long o = 0; o < g->outH; o++) {
            long first = o * g->sh - g->ph;
            long from = first < 0 ? 0 : first;
            long to = first + g->kh < g->height ? first + g->kh : g->height;
            for (long i = from; i < to; i++) {
                for (long w = 0; w < g->outW; w++) {
                    rows[i * g->outW + w] += t[o * g->outW + w];
                }
            }
        }
        for (long s = 0; s < plane; s++) {
            energy[s] = 0;
        }
        for (long i = 0; i < g->height; i++) {
            for (long o = 0; o < g->outW; o++) {
                long first = o * g->sw - g->pw;
                long from = first < 0 ? 0 : first;
                long to = first + g->kw < g->width ? first + g->kw : g->width;
                T r = rows[i * g->outW + o];
                for (long j = from; j < to; j++) {
                    energy[i * g->width + j] += r;
                }
            }
        }
        const T *xs = x + n * g->channels * plane;
        T *dx = gradX + n * g->channels * plane;
        for (long ch = 0; ch < g->channels; ch++) {
            for (long s = 0; s < plane; s++) {
                dx[ch * plane + s] = energy[s] * (2 * xs[ch * plane + s]);
            }
        }
    }
    free(t);
    free(rows);
    free(energy);
    return 1;
}

/*
 * The kernels scaled to unit length, u = w / n with n = sqrt(sum(w^2) + eps) per filter, as
 * SphereConv2d's unitDots computes them (Hypersphere.norm), and the backward pass as autograd takes
 * it through that expression: the quotient's share grad / n, and the norm's, the divisor's
 * -grad * ((w / n) / n) summed over the filter, through the square root (/ (2 n)) and the squares
 * (* 2 w). The filters are small (at most a few thousand values): no threads.
 */
static void UNIT_KERNEL(const T *w, T *u, T *norms, long filters, long size, T eps) {
    for (long f = 0; f < filters; f++) {
        const T *wf = w + f * size;
        T sum = 0;
        for (long k = 0; k < size; k++) {
            sum += wf[k] * wf[k];
        }
        T n = SQRT(sum + eps);
        norms[f] = n;
        for (long k = 0; k < size; k++) {
            u[f * size + k] = wf[k] / n;
        }
    }
}

static void UNIT_KERNEL_BACKWARD(const T *w, const T *norms, const T *gradU, T *gradW,
                                 long filters, long size) {
    for (long f = 0; f < filters; f++) {
        const T *wf = w + f * size;
        const T *du = gradU + f * size;
        T n = norms[f];
        T gradNorm = 0;
        for (long k = 0; k < size; k++) {
            gradNorm += -du[k] * ((wf[k] / n) / n);
        }
        T gradEnergy = gradNorm / (2 * n);
        for (long k = 0; k < size; k++) {
            gradW[f * size + k] = du[k] / n + gradEnergy * (2 * wf[k]);
        }
    }
}
