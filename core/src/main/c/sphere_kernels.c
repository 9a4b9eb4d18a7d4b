/*
 * The element-wise part of a SphereConv in one pass forward and one pass backward (issue 14):
 *
 *   forward   c = dots / pn,  g = G(c)            (pn broadcast over the channels)
 *   backward  from dL/dg: dL/d dots and dL/d pn (summed over the channels)
 *
 * with G one of   cosine:  g = c
 *                 linear:  g = asin(clamp(c)) * a                    (a = 2/pi)
 *                 sigmoid: g = tanh(asin(clamp(c)) * a) / b          (a = 1/(2k), b = tanh(pi/(4k)))
 *
 * The chain is the one the engine's operations compute (SphereConv2d.sphereConv2d), each value
 * rounded as they round it: the division, the clamp, the products, asin's backward
 * grad * (1 - c*c).rsqrt(), tanh's grad * (1 - t*t), the division's -grad * ((dots / pn) / pn)
 * summed over the channels. Two things differ in the last bit: asin and tanh come from Sleef (1
 * ulp), where libtorch's CPU build calls Intel's MKL (also about 1 ulp), and libtorch sums the
 * channels in another order. SphereConvFusedTest holds both ways to each other and to float64.
 * Compile without -ffast-math and without contraction: nothing here may be reassociated or fused.
 *
 * Beside it, the other two parts of a SphereConv that are not its convolution, forward and
 * backward: the patch norms sqrt(conv(x^2, ones) + eps) of its input, and its kernels scaled to
 * unit length, w / sqrt(sum(w^2) + eps) (sphere_kernels_body.h says how each is summed).
 *
 * Arrays are contiguous: (batch, channels, spatial), pn (batch, spatial); float32 or float64.
 * Each call works on the samples [from, to), so callers may split a batch across threads.
 */
#include <jni.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <immintrin.h>
#include <sleef.h>

enum { COSINE = 0, LINEAR = 1, SIGMOID = 2 };

/*
 * Sleef's vector functions over an array, AVX-512 where the processor has it, else AVX2 (Sleef's
 * 1-ulp algorithm at either width); a tail shorter than a vector is padded.
 */
#define VECTOR_MAP(NAME, T, LANES, TARGET, LOAD, STORE, FN)                                      \
    __attribute__((target(TARGET))) static void NAME(T *x, long n) {                            \
        long i = 0;                                                                              \
        for (; i + LANES <= n; i += LANES) {                                                     \
            STORE(x + i, FN(LOAD(x + i)));                                                       \
        }                                                                                        \
        if (i < n) {                                                                             \
            T pad[LANES] = {0};                                                                  \
            memcpy(pad, x + i, (size_t) (n - i) * sizeof(T));                                    \
            STORE(pad, FN(LOAD(pad)));                                                           \
            memcpy(x + i, pad, (size_t) (n - i) * sizeof(T));                                    \
        }                                                                                        \
    }

/* sleef.h declares its AVX-512 functions only when the whole file is compiled for AVX-512, which
   would let the compiler use AVX-512 everywhere: declared here, called only where supported */
__m512 Sleef_asinf16_u10avx512f(__m512);
__m512 Sleef_tanhf16_u10avx512f(__m512);
__m512d Sleef_asind8_u10avx512f(__m512d);
__m512d Sleef_tanhd8_u10avx512f(__m512d);

VECTOR_MAP(asin_f8, float, 8, "avx2,fma", _mm256_loadu_ps, _mm256_storeu_ps, Sleef_asinf8_u10avx2)
VECTOR_MAP(tanh_f8, float, 8, "avx2,fma", _mm256_loadu_ps, _mm256_storeu_ps, Sleef_tanhf8_u10avx2)
VECTOR_MAP(asin_d4, double, 4, "avx2,fma", _mm256_loadu_pd, _mm256_storeu_pd, Sleef_asind4_u10avx2)
VECTOR_MAP(tanh_d4, double, 4, "avx2,fma", _mm256_loadu_pd, _mm256_storeu_pd, Sleef_tanhd4_u10avx2)
VECTOR_MAP(asin_f16, float, 16, "avx512f", _mm512_loadu_ps, _mm512_storeu_ps, Sleef_asinf16_u10avx512f)
VECTOR_MAP(tanh_f16, float, 16, "avx512f", _mm512_loadu_ps, _mm512_storeu_ps, Sleef_tanhf16_u10avx512f)
VECTOR_MAP(asin_d8, double, 8, "avx512f", _mm512_loadu_pd, _mm512_storeu_pd, Sleef_asind8_u10avx512f)
VECTOR_MAP(tanh_d8, double, 8, "avx512f", _mm512_loadu_pd, _mm512_storeu_pd, Sleef_tanhd8_u10avx512f)

static int avx512;

static void asin_f(float *x, long n) { avx512 ? asin_f16(x, n) : asin_f8(x, n); }
static void tanh_f(float *x, long n) { avx512 ? tanh_f16(x, n) : tanh_f8(x, n); }
static void asin_d(double *x, long n) { avx512 ? asin_d8(x, n) : asin_d4(x, n); }
static void tanh_d(double *x, long n) { avx512 ? tanh_d8(x, n) : tanh_d4(x, n); }

/* A convolution's geometry, for the patch norms: the input's channels and size, the kernel, the
 * stride, the zero padding and the output's size. */
typedef struct {
    long channels, height, width, kh, kw, sh, sw, ph, pw, outH, outW;
} Windows;

/* The kernels, once per precision (sphere_kernels_body.h). BOUND is the clamp before asin
 * (Hypersphere.clampForAcos); the scalars a and b arrive as doubles and are rounded to T, as
 * libtorch rounds a 0-d operand. */
#define T float
#define FORWARD forward_f
#define BACKWARD backward_f
#define BACKWARD_SAMPLE backward_sample_f
#define UNIT_KERNEL unit_kernel_f
#define UNIT_KERNEL_BACKWARD unit_kernel_backward_f
#define PATCH_NORM patch_norm_f
#define PATCH_NORM_BACKWARD patch_norm_backward_f
#define ASIN asin_f
#define TANH tanh_f
#define SQRT sqrtf
#include "sphere_kernels_body.h"
#undef T
#undef FORWARD
#undef BACKWARD
#undef BACKWARD_SAMPLE
#undef UNIT_KERNEL
#undef UNIT_KERNEL_BACKWARD
#undef PATCH_NORM
#undef PATCH_NORM_BACKWARD
#undef ASIN
#undef TANH
#undef SQRT

#define T double
#define FORWARD forward_d
#define BACKWARD backward_d
#define BACKWARD_SAMPLE backward_sample_d
#define UNIT_KERNEL unit_kernel_d
#define UNIT_KERNEL_BACKWARD unit_kernel_backward_d
#define PATCH_NORM patch_norm_d
#define PATCH_NORM_BACKWARD patch_norm_backward_d
#define ASIN asin_d
#define TANH tanh_d
#define SQRT sqrt
#include "sphere_kernels_body.h"

static void *address(JNIEnv *env, jobject buffer) {
    return (*env)->GetDirectBufferAddress(env, buffer);
}

static void out_of_memory(JNIEnv *env, const char *what) {
    (*env)->ThrowNew(env, (*env)->FindClass(env, "java/lang/OutOfMemoryError"), what);
}

JNIEXPORT jboolean JNICALL Java_org_spherenet_nn_SphereKernels_supported(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    avx512 = __builtin_cpu_supports("avx512f") && getenv("SPHERENET_NO_AVX512") == NULL;
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

JNIEXPORT void JNICALL Java_org_spherenet_nn_SphereKernels_forward(
        JNIEnv *env, jclass cls, jobject dots, jobject pn, jobject out, jlong from, jlong to,
        jlong channels, jlong spatial, jboolean float64, jint kind, jdouble a, jdouble b) {
    long slab = channels * spatial;
    if (float64) {
        double *x = address(env, dots), *p = address(env, pn), *g = address(env, out);
        forward_d(x + from * slab, p + from * spatial, g + from * slab, to - from, channels,
                  spatial, kind, a, b, 1 - 1e-12);
    } else {
        float *x = address(env, dots), *p = address(env, pn), *g = address(env, out);
        forward_f(x + from * slab, p + from * spatial, g + from * slab, to - from, channels,
                  spatial, kind, (float) a, (float) b, (float) (1 - 1.2e-7));
    }
}

JNIEXPORT void JNICALL Java_org_spherenet_nn_SphereKernels_backward(
        JNIEnv *env, jclass cls, jobject grad, jobject dots, jobject pn, jobject gradDots,
        jobject gradPn, jlong from, jlong to, jlong channels, jlong spatial, jboolean float64,
        jint kind, jdouble a, jdouble b) {
    long slab = channels * spatial;
    int done;
    if (float64) {
        double *dg = address(env, grad), *x = address(env, dots), *p = address(env, pn);
        double *dx = address(env, gradDots), *dp = address(env, gradPn);
        done = backward_d(dg + from * slab, x + from * slab, p + from * spatial, dx + from * slab,
                          dp + from * spatial, to - from, channels, spatial, kind, a, b,
                          1 - 1e-12);
    } else {
        float *dg = address(env, grad), *x = address(env, dots), *p = address(env, pn);
        float *dx = address(env, gradDots), *dp = address(env, gradPn);
        done = backward_f(dg + from * slab, x + from * slab, p + from * spatial, dx + from * slab,
                          dp + from * spatial, to - from, channels, spatial, kind, (float) a,
                          (float) b, (float) (1 - 1.2e-7));
    }
    if (!done) {
        out_of_memory(env, "SphereConv backward: no memory for one sample's buffers");
    }
}

/* geometry = {channels, height, width, kh, kw, sh, sw, ph, pw, outH, outW} */
static Windows windows(JNIEnv *env, jlongArray geometry) {
    jlong g[11];
    (*env)->GetLongArrayRegion(env, geometry, 0, 11, g);
    Windows w = {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10]};
    return w;
}

JNIEXPORT void JNICALL Java_org_spherenet_nn_SphereKernels_patchNorm(
        JNIEnv *env, jclass cls, jobject input, jobject pn, jlong from, jlong to,
        jlongArray geometry, jboolean float64) {
    Windows g = windows(env, geometry);
    long slab = g.channels * g.height * g.width, outPlane = g.outH * g.outW;
    int done;
    if (float64) {
        double *x = address(env, input), *p = address(env, pn);
        done = patch_norm_d(x + from * slab, p + from * outPlane, to - from, &g, 1e-4);
    } else {
        float *x = address(env, input), *p = address(env, pn);
        done = patch_norm_f(x + from * slab, p + from * outPlane, to - from, &g, (float) 1e-4);
    }
    if (!done) {
        out_of_memory(env, "patch norm: no memory for one sample's buffers");
    }
}

JNIEXPORT void JNICALL Java_org_spherenet_nn_SphereKernels_patchNormBackward(
        JNIEnv *env, jclass cls, jobject input, jobject pn, jobject gradPn, jobject gradInput,
        jlong from, jlong to, jlongArray geometry, jboolean float64) {
    Windows g = windows(env, geometry);
    long slab = g.channels * g.height * g.width, outPlane = g.outH * g.outW;
    int done;
    if (float64) {
        double *x = address(env, input), *p = address(env, pn), *dp = address(env, gradPn);
        double *dx = address(env, gradInput);
        done = patch_norm_backward_d(x + from * slab, p + from * outPlane, dp + from * outPlane,
                                     dx + from * slab, to - from, &g);
    } else {
        float *x = address(env, input), *p = address(env, pn), *dp = address(env, gradPn);
        float *dx = address(env, gradInput);
        done = patch_norm_backward_f(x + from * slab, p + from * outPlane, dp + from * outPlane,
                                     dx + from * slab, to - from, &g);
    }
    if (!done) {
        out_of_memory(env, "patch norm backward: no memory for one sample's buffers");
    }
}

JNIEXPORT void JNICALL Java_org_spherenet_nn_SphereKernels_unitKernels(
        JNIEnv *env, jclass cls, jobject weight, jobject unit, jobject norms, jlong filters,
        jlong size, jboolean float64) {
    if (float64) {
        unit_kernel_d(address(env, weight), address(env, unit), address(env, norms), filters,
                      size, 1e-4);
    } else {
        unit_kernel_f(address(env, weight), address(env, unit), address(env, norms), filters,
                      size, (float) 1e-4);
    }
}

JNIEXPORT void JNICALL Java_org_spherenet_nn_SphereKernels_unitKernelsBackward(
        JNIEnv *env, jclass cls, jobject weight, jobject norms, jobject gradUnit,
        jobject gradWeight, jlong filters, jlong size, jboolean float64) {
    if (float64) {
        unit_kernel_backward_d(address(env, weight), address(env, norms), address(env, gradUnit),
                               address(env, gradWeight), filters, size);
    } else {
        unit_kernel_backward_f(address(env, weight), address(env, norms), address(env, gradUnit),
                               address(env, gradWeight), filters, size);
    }
}
