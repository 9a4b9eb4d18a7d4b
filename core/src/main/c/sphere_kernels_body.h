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

/* returns 0 when out of memory */
static int BACKWARD(const T *grad, const T *dots, const T *pn, T *gradDots, T *gradPn,
                    long batch, long channels, long spatial, int kind, T a, T b, T bound) {
    long slab = channels * spatial;
    T *c = malloc((size_t) slab * sizeof(T));
    T *t = kind == SIGMOID ? malloc((size_t) slab * sizeof(T)) : NULL;
    if (c == NULL || (kind == SIGMOID && t == NULL)) {
        free(c);
        free(t);
        return 0;
    }
    for (long n = 0; n < batch; n++) {
        const T *p = pn + n * spatial;
        const T *x = dots + n * slab;
        const T *dg = grad + n * slab;
        T *d = gradDots + n * slab; /* dL/dc first, then dL/d dots in place */
        T *acc = gradPn + n * spatial;
        for (long ch = 0; ch < channels; ch++) {
            for (long s = 0; s < spatial; s++) {
                c[ch * spatial + s] = x[ch * spatial + s] / p[s];
            }
        }
        for (long i = 0; i < slab; i++) {
            d[i] = dg[i];
        }
        if (kind == SIGMOID) {
            /* tanh's output, recomputed: its backward is grad * (1 - t*t) */
            for (long i = 0; i < slab; i++) {
                T below = c[i] > bound ? bound : c[i];
                t[i] = below < -bound ? -bound : below;
            }
            ASIN(t, slab);
            for (long i = 0; i < slab; i++) {
                t[i] = t[i] * a;
            }
            TANH(t, slab);
            for (long i = 0; i < slab; i++) {
                d[i] = (d[i] / b) * (1 - t[i] * t[i]);
            }
        }
        if (kind != COSINE) {
            /* asin's backward grad * (1 - c*c).rsqrt(); the clamp passes the gradient only
               inside its bounds (NaN: nowhere) */
            for (long i = 0; i < slab; i++) {
                T below = c[i] > bound ? bound : c[i];
                T clamped = below < -bound ? -bound : below;
                T r = 1 / SQRT(-clamped * clamped + 1);
                T v = (d[i] * a) * r;
                d[i] = clamped == c[i] ? v : 0;
            }
        }
        /* the division's backward: grad / pn, and -grad * ((dots / pn) / pn) summed over the
           channels in order */
        for (long s = 0; s < spatial; s++) {
            acc[s] = 0;
        }
        for (long ch = 0; ch < channels; ch++) {
            for (long s = 0; s < spatial; s++) {
                long i = ch * spatial + s;
                T di = d[i];
                d[i] = di / p[s];
                acc[s] += -di * (c[i] / p[s]);
            }
        }
    }
    free(c);
    free(t);
    return 1;
}
