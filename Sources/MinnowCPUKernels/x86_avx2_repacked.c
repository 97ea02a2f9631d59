/* AVX2 kernels for repacked Q4_K and Q6_K weights (layouts: repacked_layout.h).
 *
 * The same layout as the AVX-512 kernels, read in 32-byte halves: half h of a 64-byte chunk
 * holds rows 4h ..< 4h+4, 8 bytes each. A group is processed as two 4-row halves; vpmaddubsw of
 * a half chunk with a 64-bit broadcast of the activation bytes gives row r' (0..3) of the half
 * in int16 words 4r' ..< 4r'+4; the scales (vpmaddwd) bring the sums to int32 lanes 2r', 2r'+1.
 * AVX2 lane convention: lane q = 2r' + e (e = 0, 1) of half h belongs to row 4h + r'; the
 * result is the sum of the row's two lanes. Activation bsums pattern k here: dwords
 * [B_k, B_k+4] x 4 (lane e takes B_{k + 4e}).
 *
 * A call runs over row blocks (about ROW_BLOCK_BYTES of weights, kept in L2); for each, over
 * tiles of up to Q4K_TILE / Q6K_TILE activation rows, which decode each weight vector once. The
 * arithmetic for one output is the same whatever the tile size, the row block or the row range
 * (batch invariance): the blocking only changes the order in which outputs are computed. */
#include "variants.h"

#if defined(__x86_64__)

#include "repacked_layout.h"
#include "repacked_q32.h"
#include <immintrin.h>
#include <string.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

/* Activation rows per tile, per type (at most MAX_TILE: the drivers' switch). Measured with 16
 * ymm registers: Q4_K 4 (6 and 8 slower), Q6_K 8 (4 and 6 slower). */
#define Q4K_TILE 4
#define Q6K_TILE 8
#define MAX_TILE 8
#define PF_DIST 4096 /* one activation row: software prefetch this far ahead (0: none) */
#define PF_ROWS 8 /* tiles of at most this many activation rows prefetch too: small batches (speculative verification) stream the weights from DRAM as decode does */
#define ROW_BLOCK_BYTES (768 * 1024) /* weights per row block (kept in L2 while the tiles pass) */
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")


INLINE __m256i bcast64(const uint8_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return _mm256_set1_epi64x(v);
}

INLINE float load_f32(const uint8_t *p) {
    float v;
    memcpy(&v, p, 4);
    return v;
}

/* Lanes -> 4 outputs: out[r'] = F[2r'] + F[2r'+1]. */
INLINE void store_half(__m256 f, float *out) {
    __m256 s = _mm256_add_ps(f, _mm256_permute_ps(f, 0xB1)); /* lane 2r' holds the sum */
    __m256 c = _mm256_permutevar8x32_ps(s, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    _mm_storeu_ps(out, _mm256_castps256_ps128(c));
}

INLINE __m256i pattern2(int k) { return _mm256_setr_epi32(k, k + 4, k, k + 4, k, k + 4, k, k + 4); }

/* Lane q = 2r' + e gets float base + r' (base = 4h: the half's rows). */
INLINE __m256i half_index(int base) {
    return _mm256_setr_epi32(base, base, base + 1, base + 1, base + 2, base + 2, base + 3, base + 3);
}

/* pshufb control from 16 bytes broadcast to both 128-bit lanes: dword q takes byte sel(q) zero-
 * extended into both words. */
#define B2W(b) ((uint32_t)(b) | 0x8000u | ((uint32_t)(b) << 16) | 0x80000000u)

/* ---------------------------------------------------------------------------------------- Q4_K */

/* Q4_K main scales, half h, t = 0 (sub 2p) / 1 (sub 2p+1): words 4r'..4r'+3 <- byte
 * 4(r >> 1) + (r & 1) + 2t, r = 4h + r'. Words 4r'..4r'+3 = dwords 2r', 2r'+1. */
#define Q4S(h, t, rp) B2W(4 * ((4 * (h) + (rp)) >> 1) + ((rp) & 1) + 2 * (t))
#define Q4SC(h, t) { Q4S(h, t, 0), Q4S(h, t, 0), Q4S(h, t, 1), Q4S(h, t, 1), Q4S(h, t, 2), Q4S(h, t, 2), Q4S(h, t, 3), Q4S(h, t, 3) }
static const uint32_t q4k_sc_ctl[2][2][8] __attribute__((aligned(32))) = {{Q4SC(0, 0), Q4SC(0, 1)}, {Q4SC(1, 0), Q4SC(1, 1)}};
/* Q4_K mins, half h: dword q = 2r' + e <- byte 4(r >> 1) + (r & 1) + 2e. */
#define Q4M(h, rp, e) B2W(4 * ((4 * (h) + (rp)) >> 1) + ((rp) & 1) + 2 * (e))
#define Q4MC(h) { Q4M(h, 0, 0), Q4M(h, 0, 1), Q4M(h, 1, 0), Q4M(h, 1, 1), Q4M(h, 2, 0), Q4M(h, 2, 1), Q4M(h, 3, 0), Q4M(h, 3, 1) }
static const uint32_t q4k_mn_ctl[2][8] __attribute__((aligned(32))) = {Q4MC(0), Q4MC(1)};

INLINE void q4k_half(const uint8_t *group, int h, int64_t blocks, const uint8_t *act, int64_t astride, int n_act,
                     float *out, int64_t ostride) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const __m256i mnctl = _mm256_load_si256((const __m256i *)q4k_mn_ctl[h]);
    const __m256i ctl_lo = _mm256_load_si256((const __m256i *)q4k_sc_ctl[h][0]);
    const __m256i ctl_hi = _mm256_load_si256((const __m256i *)q4k_sc_ctl[h][1]);
    const __m256i idx_d = half_index(4 * h);
    __m256 F[MAX_TILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *w = group + b * MINNOW_RQ4K_GROUP;
#if PF_DIST /* half 0 reads the group's lines; half 1 finds them in L1 */
        if (n_act <= PF_ROWS && h == 0) UNROLL for (int l = 0; l < MINNOW_RQ4K_GROUP; l += 64) _mm_prefetch((const char *)(w + PF_DIST + l), _MM_HINT_T0);
#endif
        const uint8_t *ab[MAX_TILE];
        UNROLL for (int n = 0; n < n_act; n++) ab[n] = act + n * astride + b * MINNOW_Q8K_BYTES;
        const __m128i dmh = _mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_D));      /* d[8] */
        const __m128i mmh = _mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_DMIN));   /* dmin[8] */
        const __m256 dvec = _mm256_permutevar8x32_ps(_mm256_cvtph_ps(dmh), idx_d);
        const __m256 mvec = _mm256_permutevar8x32_ps(_mm256_cvtph_ps(mmh), idx_d);
        __m256i mins[4];
        UNROLL for (int k = 0; k < 4; k++)
            mins[k] = _mm256_shuffle_epi8(_mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_MN + 16 * k))), mnctl);
        UNROLL for (int n = 0; n < n_act; n++) {
            const __m256 da = _mm256_set1_ps(load_f32(ab[n]));
            const __m256i bs = _mm256_loadu_si256((const __m256i *)(ab[n] + MINNOW_Q8K_BSUMS));
            __m256i M = _mm256_setzero_si256();
            UNROLL for (int k = 0; k < 4; k++)
                M = _mm256_add_epi32(M, _mm256_madd_epi16(mins[k], _mm256_permutevar8x32_epi32(bs, pattern2(k))));
            F[n] = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(M), _mm256_mul_ps(mvec, da), F[n]);
        }
        __m256i I[MAX_TILE];
        UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm256_setzero_si256();
        _Pragma("clang loop unroll(disable)") for (int p = 0; p < 4; p++) {
            const __m256i scb = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_SC + 16 * p)));
            __m256i lo[MAX_TILE], hi[MAX_TILE];
            UNROLL for (int c = 0; c < 4; c++) {
                const __m256i x = _mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ4K_QS + (p * 4 + c) * 64 + 32 * h));
                const __m256i wl = _mm256_and_si256(x, m4);
                const __m256i wh = _mm256_and_si256(_mm256_srli_epi16(x, 4), m4);
                UNROLL for (int n = 0; n < n_act; n++) {
                    const uint8_t *q = ab[n] + MINNOW_Q8K_QS + 64 * p + 8 * c;
                    const __m256i pl = _mm256_maddubs_epi16(wl, bcast64(q));
                    const __m256i ph = _mm256_maddubs_epi16(wh, bcast64(q + 32));
                    lo[n] = c ? _mm256_add_epi16(lo[n], pl) : pl;
                    hi[n] = c ? _mm256_add_epi16(hi[n], ph) : ph;
                }
            }
            const __m256i sl = _mm256_shuffle_epi8(scb, ctl_lo), sh = _mm256_shuffle_epi8(scb, ctl_hi);
            UNROLL for (int n = 0; n < n_act; n++)
                I[n] = _mm256_add_epi32(I[n], _mm256_add_epi32(_mm256_madd_epi16(lo[n], sl), _mm256_madd_epi16(hi[n], sh)));
        }
        UNROLL for (int n = 0; n < n_act; n++) {
            const __m256 da = _mm256_set1_ps(load_f32(ab[n]));
            F[n] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(I[n]), _mm256_mul_ps(dvec, da), F[n]);
        }
    }
    UNROLL for (int n = 0; n < n_act; n++) store_half(F[n], out + n * ostride + 4 * h);
}

/* ---------------------------------------------------------------------------------------- Q6_K */

/* Scale of sub-block s for half h from the sign-extended words of sc[(s >> 1) & 3] + 16h: words
 * 4r'..4r'+3 <- word 2L + w, L = 4(r' >> 1) + (r' & 1) + 2e, e = s >> 3, w = s & 1 (the words of
 * rows r' = 0, 1 are in the low 128-bit lane, of r' = 2, 3 in the high one). */
#define W2W(wd) ((uint32_t)(2 * (wd)) | ((uint32_t)(2 * (wd) + 1) << 8) | ((uint32_t)(2 * (wd)) << 16) | ((uint32_t)(2 * (wd) + 1) << 24))
#define Q6S(e, w, rp) W2W((2 * (4 * (((rp) & 3) >> 1) + ((rp) & 1) + 2 * (e)) + (w)) & 7)
#define Q6SC(e, w) { Q6S(e, w, 0), Q6S(e, w, 0), Q6S(e, w, 1), Q6S(e, w, 1), Q6S(e, w, 0), Q6S(e, w, 0), Q6S(e, w, 1), Q6S(e, w, 1) }
static const uint32_t q6k_sc_ctl[4][8] __attribute__((aligned(32))) = {Q6SC(0, 0), Q6SC(0, 1), Q6SC(1, 0), Q6SC(1, 1)};

INLINE void q6k_half(const uint8_t *group, int h, int64_t blocks, const uint8_t *act, int64_t astride, int n_act,
                     float *out, int64_t ostride) {
    const __m256i m4 = _mm256_set1_epi8(0x0F);
    const __m256i m30 = _mm256_set1_epi8(0x30);
    const __m256i idx_d = half_index(4 * h);
    __m256 F[MAX_TILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *w = group + b * MINNOW_RQ6K_GROUP;
#if PF_DIST
        if (n_act <= PF_ROWS && h == 0) UNROLL for (int l = 0; l < MINNOW_RQ6K_GROUP; l += 64) _mm_prefetch((const char *)(w + PF_DIST + l), _MM_HINT_T0);
#endif
        const uint8_t *ab[MAX_TILE];
        UNROLL for (int n = 0; n < n_act; n++) ab[n] = act + n * astride + b * MINNOW_Q8K_BYTES;
        const __m256 dvec = _mm256_permutevar8x32_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ6K_D))), idx_d);
        __m256i I[MAX_TILE];
        {
            __m256i neg[4];
            UNROLL for (int k = 0; k < 4; k++) {
                const __m256i sxw = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ6K_SC + 32 * k + 16 * h)));
                neg[k] = _mm256_sub_epi16(_mm256_setzero_si256(), _mm256_slli_epi16(_mm256_shuffle_epi32(sxw, 0xD8), 5));
            }
            UNROLL for (int n = 0; n < n_act; n++) {
                const __m256i bs = _mm256_loadu_si256((const __m256i *)(ab[n] + MINNOW_Q8K_BSUMS));
                __m256i acc = _mm256_setzero_si256();
                UNROLL for (int k = 0; k < 4; k++)
                    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(neg[k], _mm256_permutevar8x32_epi32(bs, pattern2(k))));
                I[n] = acc;
            }
        }
        const uint8_t *ql = w + MINNOW_RQ6K_QL + 32 * h, *qh = w + MINNOW_RQ6K_QH + 32 * h;
        /* fully unrolled: the shifts become immediates (measured faster than a loop here) */
        UNROLL for (int s = 0; s < 16; s++) {
            const __m128i rq = _mm_cvtsi32_si128((s >> 3) ? 4 : 0);
            const int f = s >> 2; /* qh field: bits 2f..2f+1 to bits 4-5 */
            const uint8_t *lq = ql + 64 * ((2 * s) & 15), *hq = qh + 64 * ((2 * s) & 7);
            const __m256i l0 = _mm256_srl_epi16(_mm256_loadu_si256((const __m256i *)lq), rq);
            const __m256i l1 = _mm256_srl_epi16(_mm256_loadu_si256((const __m256i *)(lq + 64)), rq);
            __m256i h0 = _mm256_loadu_si256((const __m256i *)hq), h1 = _mm256_loadu_si256((const __m256i *)(hq + 64));
            if (f < 2) {
                const __m128i sl = _mm_cvtsi32_si128(4 - 2 * f);
                h0 = _mm256_sll_epi16(h0, sl);
                h1 = _mm256_sll_epi16(h1, sl);
            } else {
                const __m128i sr = _mm_cvtsi32_si128(2 * f - 4);
                h0 = _mm256_srl_epi16(h0, sr);
                h1 = _mm256_srl_epi16(h1, sr);
            }
            const __m256i v0 = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_and_si256(h0, m30));
            const __m256i v1 = _mm256_or_si256(_mm256_and_si256(l1, m4), _mm256_and_si256(h1, m30));
            const __m256i sxk = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ6K_SC + 32 * ((s >> 1) & 3) + 16 * h)));
            const __m256i scv = _mm256_shuffle_epi8(sxk, _mm256_load_si256((const __m256i *)q6k_sc_ctl[2 * (s >> 3) + (s & 1)]));
            UNROLL for (int n = 0; n < n_act; n++) {
                const uint8_t *q = ab[n] + MINNOW_Q8K_QS + 16 * s;
                const __m256i t = _mm256_add_epi16(_mm256_maddubs_epi16(v0, bcast64(q)), _mm256_maddubs_epi16(v1, bcast64(q + 8)));
                I[n] = _mm256_add_epi32(I[n], _mm256_madd_epi16(t, scv));
            }
        }
        UNROLL for (int n = 0; n < n_act; n++) {
            const __m256 da = _mm256_set1_ps(load_f32(ab[n]));
            F[n] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(I[n]), _mm256_mul_ps(dvec, da), F[n]);
        }
    }
    UNROLL for (int n = 0; n < n_act; n++) store_half(F[n], out + n * ostride + 4 * h);
}

/* ------------------------------------------------------------------------------------- drivers */

#define CASE(half, T, k) case k: if ((k) > (T)) __builtin_unreachable(); half(grp, h, blocks, act, as, k, o, os); break;
#define DRIVER(name, half, TILE)                                                                             \
    static void name(const minnow_dot_problem *pr) {                                                         \
        const uint8_t *W = (const uint8_t *)pr->weights;                                                     \
        const uint8_t *A = (const uint8_t *)pr->activations;                                                 \
        const int64_t blocks = pr->count / MINNOW_QK_K, groups = pr->rows / 8, gstride = 8 * pr->row_stride; \
        const int64_t as = pr->activation_stride, os = pr->output_stride;                                    \
        const int64_t gblk = gstride > 0 && ROW_BLOCK_BYTES / gstride > 1 ? ROW_BLOCK_BYTES / gstride : 1;   \
        for (int64_t g0 = 0; g0 < groups; g0 += gblk)                                                        \
        for (int64_t a = 0; a < pr->activation_rows; a += TILE) {                                            \
            int64_t left = pr->activation_rows - a;                                                          \
            const uint8_t *act = A + a * as;                                                                 \
            float *out = pr->out + a * os;                                                                   \
            for (int64_t g = g0; g < groups && g < g0 + gblk; g++) {                                         \
                const uint8_t *grp = W + g * gstride;                                                        \
                float *o = out + 8 * g;                                                                      \
                for (int h = 0; h < 2; h++) {                                                                \
                    switch (left >= TILE ? TILE : left) {                                                    \
                    CASE(half, TILE, 8) CASE(half, TILE, 7) CASE(half, TILE, 6) CASE(half, TILE, 5)          \
                    CASE(half, TILE, 4) CASE(half, TILE, 3) CASE(half, TILE, 2)                              \
                    default: half(grp, h, blocks, act, as, 1, o, os); break;                                 \
                    }                                                                                        \
                }                                                                                            \
            }                                                                                                \
        }                                                                                                    \
    }

DRIVER(q4k_kernel, q4k_half, Q4K_TILE)
DRIVER(q6k_kernel, q6k_half, Q6K_TILE)

#pragma clang attribute pop

minnow_dot_fn minnow_avx2_repacked_kernel(int type) {
    switch (type) {
    case MINNOW_TYPE_Q4_K: return q4k_kernel;
    case MINNOW_TYPE_Q6_K: return q6k_kernel;
    case MINNOW_TYPE_Q8_0: case MINNOW_TYPE_Q4_0: case MINNOW_TYPE_Q5_0: case MINNOW_TYPE_Q5_K: return minnow_avx2_repacked_q32_kernel(type); /* *_repacked_q32.c */
    default: return 0;
    }
}

#else

minnow_dot_fn minnow_avx2_repacked_kernel(int type) {
    (void)type;
    return 0;
}

#endif
