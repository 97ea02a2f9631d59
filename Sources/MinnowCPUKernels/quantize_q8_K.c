/* Activation rows to ggml's Q8_K blocks with AVX-512, byte for byte what the reference quantizer
 * (MinnowGGUF's Q8_KBlock, ggml's quantize_row_q8_K_ref) writes: the first value of largest
 * magnitude maps to -127, q = round-half-even(iscale * x), d = 1 / iscale, 16 sums of 16. */
#include <string.h>
#include "include/minnow_cpu_kernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c"))), apply_to = function)

static void quantize_q8_K_block_avx512(const float *x, uint8_t *block) {
    __m512 amax = _mm512_setzero_ps();
    for (int i = 0; i < 16; i++) amax = _mm512_max_ps(amax, _mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)));
    float m = _mm512_reduce_max_ps(amax);
    if (m == 0) {
        memset(block, 0, 292);
        return;
    }
    /* The first element whose magnitude is the maximum gives the sign (as the scalar scan does). */
    float signed_max = 0;
    for (int i = 0; i < 16; i++) {
        __mmask16 hit = _mm512_cmp_ps_mask(_mm512_abs_ps(_mm512_loadu_ps(x + 16 * i)), _mm512_set1_ps(m), _CMP_EQ_OQ);
        if (hit) {
            signed_max = x[16 * i + __builtin_ctz(hit)];
            break;
        }
    }
    const float iscale = -127.f / signed_max;
    const __m512 scale = _mm512_set1_ps(iscale);
    int8_t *q = (int8_t *)(block + 4);
    int16_t sums[16];
    for (int i = 0; i < 16; i++) {
        /* Products rounded to nearest even (the reference's 1.5 * 2^23 trick), then at most 127. */
        __m512i v = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(x + 16 * i), scale));
        v = _mm512_min_epi32(_mm512_max_epi32(v, _mm512_set1_epi32(-128)), _mm512_set1_epi32(127));
        _mm_storeu_si128((__m128i *)(q + 16 * i), _mm512_cvtepi32_epi8(v));
        sums[i] = (int16_t)_mm512_reduce_add_epi32(v);
    }
    memcpy(block + 260, sums, sizeof(sums));
    const float d = 1 / iscale;
    memcpy(block, &d, 4);
}

static void quantize_q8_K_avx512(const float *x, int64_t count, void *out) {
    for (int64_t b = 0; b < count / 256; b++) quantize_q8_K_block_avx512(x + 256 * b, (uint8_t *)out + 292 * b);
}

#pragma clang attribute pop

minnow_quantize_fn minnow_activation_quantizer(int variant, int type) {
    if (variant == MINNOW_VARIANT_AVX512 && type == MINNOW_TYPE_Q8_K) return quantize_q8_K_avx512;
    return 0;
}

#else

minnow_quantize_fn minnow_activation_quantizer(int variant, int type) {
    (void)variant;
    (void)type;
    return 0;
}

#endif
