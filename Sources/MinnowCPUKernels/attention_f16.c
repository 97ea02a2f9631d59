/* Cached attention over an F16 KV cache: the scores q·k of a KV head's query heads, their softmax,
 * and the weighted sum of the values, with the hardware's half-to-float conversion (F16C). The
 * softmax is the backend's: max, expf(x - max), a double sum, then one multiply by its inverse. */
#include <math.h>
#include "include/minnow_cpu_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* Softmax of n scores in place, in the backend's order of operations. */
static inline void minnow_softmax(float *x, int64_t n) {
    float maximum = -INFINITY;
    for (int64_t i = 0; i < n; i++) maximum = x[i] > maximum ? x[i] : maximum;
    double sum = 0;
    for (int64_t i = 0; i < n; i++) {
        float e = expf(x[i] - maximum);
        x[i] = e;
        sum += (double)e;
    }
    float inverse = (float)(1 / sum);
    for (int64_t i = 0; i < n; i++) x[i] *= inverse;
}

/* The kernel body, once for each vector width: VEC vectors of LANES floats, LOAD_HALVES(p) converts
 * LANES halves, ROUND_QUERY(v) rounds floats to F16 precision, HSUM(v) adds the lanes. */
#define MINNOW_ATTENTION_KERNEL(NAME, LANES, VEC, LOAD_HALVES, ROUND_QUERY, LOADF, STOREF, FMA, SET1, ZERO, HSUM) \
    static void NAME(const minnow_attention_problem *p) {                                              \
        const int64_t hs = p->head_size, blocks = hs / LANES, group = p->group, length = p->length;   \
        for (int64_t i = 0; i < group * blocks; i++) {                                                 \
            STOREF(p->scratch_query + LANES * i, ROUND_QUERY(LOADF(p->query + LANES * i)));            \
        }                                                                                              \
        for (int64_t j = 0; j < length; j++) {                                                         \
            const uint16_t *k = p->keys + j * p->kv_stride;                                            \
            for (int64_t g = 0; g < group; g++) {                                                      \
                const float *q = p->scratch_query + g * hs;                                            \
                VEC sum = ZERO();                                                                      \
                for (int64_t b = 0; b < blocks; b++) sum = FMA(LOADF(q + LANES * b), LOAD_HALVES(k + LANES * b), sum); \
                p->scores[g * length + j] = HSUM(sum) * p->scale;                                      \
            }                                                                                          \
        }                                                                                              \
        for (int64_t g = 0; g < group; g++) {                                                          \
            minnow_softmax(p->scores + g * length, length);                                            \
            for (int64_t i = 0; i < hs; i++) p->out[g * hs + i] = 0;                                   \
        }                                                                                              \
        for (int64_t j = 0; j < length; j++) {                                                         \
            const uint16_t *v = p->values + j * p->kv_stride;                                          \
            for (int64_t b = 0; b < blocks; b++) {                                                     \
                VEC vb = LOAD_HALVES(v + LANES * b);                                                   \
                for (int64_t g = 0; g < group; g++) {                                                  \
                    float *o = p->out + g * hs + LANES * b;                                            \
                    STOREF(o, FMA(SET1(p->scores[g * length + j]), vb, LOADF(o)));                     \
                }                                                                                      \
            }                                                                                          \
        }                                                                                              \
    }

#define MINNOW_ROUND_MODE (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c"))), apply_to = function)

static inline __m512 minnow_halves16(const uint16_t *p) { return _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)p)); }
static inline __m512 minnow_round16(__m512 v) { return _mm512_cvtph_ps(_mm512_cvtps_ph(v, MINNOW_ROUND_MODE)); }
MINNOW_ATTENTION_KERNEL(attention_f16_avx512, 16, __m512, minnow_halves16, minnow_round16, _mm512_loadu_ps, _mm512_storeu_ps,
                        _mm512_fmadd_ps, _mm512_set1_ps, _mm512_setzero_ps, _mm512_reduce_add_ps)

#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

static inline __m256 minnow_halves8(const uint16_t *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
static inline __m256 minnow_round8(__m256 v) { return _mm256_cvtph_ps(_mm256_cvtps_ph(v, MINNOW_ROUND_MODE)); }
static inline float minnow_hsum8(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
MINNOW_ATTENTION_KERNEL(attention_f16_avx2, 8, __m256, minnow_halves8, minnow_round8, _mm256_loadu_ps, _mm256_storeu_ps,
                        _mm256_fmadd_ps, _mm256_set1_ps, _mm256_setzero_ps, minnow_hsum8)

#pragma clang attribute pop

minnow_attention_fn minnow_attention_f16_kernel(int variant, int64_t head_size) {
    if (variant == MINNOW_VARIANT_AVX512 && head_size % 16 == 0) return attention_f16_avx512;
    if ((variant == MINNOW_VARIANT_AVX512 || variant == MINNOW_VARIANT_AVX2) && head_size % 8 == 0) return attention_f16_avx2;
    return 0;
}

#else

minnow_attention_fn minnow_attention_f16_kernel(int variant, int64_t head_size) {
    (void)variant;
    (void)head_size;
    return 0;
}

#endif
