/* AVX-512 VNNI kernels for repacked Q4_K and Q6_K weights (layouts: repacked_layout.h).
 *
 * A call runs over row blocks (about ROW_BLOCK_BYTES of weights, kept in L2); for each, over
 * tiles of up to 8 activation rows; for each tile, over the block's 8-row groups; for each group,
 * over the superblocks. Each weight chunk is loaded and decoded once per tile and fed to vpdpbusd
 * with a 64-bit broadcast of each activation row's matching 8 bytes. The arithmetic for one
 * activation row is the same whatever the tile size (the tile function is one inline body
 * specialised for 1..8 rows), so results are batch invariant. One activation row (decode)
 * prefetches the weights PF_DIST bytes ahead. */
#include "variants.h"

#if defined(__x86_64__)

#include "repacked_layout.h"
#include "repacked_q32.h"
#include <immintrin.h>
#include <string.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c"))), apply_to = function)

#define TILE 8 /* activation rows per tile (at most 8: the drivers' switch); 8 measured faster than 4 */
#define PF_DIST 4096 /* one activation row: software prefetch this far ahead (measured faster from DRAM) */
#define PF_ROWS 8 /* tiles of at most this many activation rows prefetch too: small batches (speculative verification) stream the weights from DRAM as decode does */
#define ROW_BLOCK_BYTES (768 * 1024) /* weights per row block (L2: 2 MB on the machines measured) */
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

INLINE __m512i bcast64(const uint8_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return _mm512_set1_epi64(v);
}

INLINE float load_f32(const uint8_t *p) {
    float v;
    memcpy(&v, p, 4);
    return v;
}

/* Row lanes -> 8 outputs: out[r] = F[4(r>>1) + (r&1)] + F[4(r>>1) + (r&1) + 2]. */
INLINE void store_rows(__m512 f, float *out) {
    __m512 s = _mm512_add_ps(f, _mm512_permute_ps(f, 0x4E));
    const __m512i idx = _mm512_setr_epi32(0, 1, 4, 5, 8, 9, 12, 13, 0, 1, 4, 5, 8, 9, 12, 13);
    _mm256_storeu_ps(out, _mm512_castps512_ps256(_mm512_permutexvar_ps(idx, s)));
}

/* vpermd indices giving bsums pattern k from the bsums broadcast to both 256-bit halves. */
INLINE __m512i pattern_index(int k) {
    return _mm512_setr_epi32(k, k, k + 4, k + 4, k, k, k + 4, k + 4, k, k, k + 4, k + 4, k, k, k + 4, k + 4);
}

/* d (and dmin) lanes: lane (i, j) gets row 2i + (j & 1), plus `base`. */
INLINE __m512i row_lane_index(int base) {
    return _mm512_setr_epi32(base + 0, base + 1, base + 0, base + 1, base + 2, base + 3, base + 2, base + 3,
                             base + 4, base + 5, base + 4, base + 5, base + 6, base + 7, base + 6, base + 7);
}

/* ---------------------------------------------------------------------------------------- Q4_K */

INLINE void q4k_tile(const uint8_t *group, int64_t blocks, const uint8_t *act, int64_t astride, int n_act,
                     float *out, int64_t ostride) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    /* lane (i, j) takes byte 4i + j of the 16 broadcast bytes, zero-extended, in both words */
    const __m512i dup = _mm512_setr_epi32(
        0x80008000 | 0x00000000, 0x80018001, 0x80028002, 0x80038003, 0x80048004, 0x80058005, 0x80068006, 0x80078007,
        0x80088008, 0x80098009, 0x800A800A, 0x800B800B, 0x800C800C, 0x800D800D, 0x800E800E, 0x800F800F);
    const __m512i idx_d = row_lane_index(0), idx_m = row_lane_index(8);
    __m512 F[TILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *w = group + b * MINNOW_RQ4K_GROUP;
#if PF_DIST
        if (n_act <= PF_ROWS) UNROLL for (int l = 0; l < MINNOW_RQ4K_GROUP; l += 64) _mm_prefetch((const char *)(w + PF_DIST + l), _MM_HINT_T0);
#endif
        const uint8_t *ab[TILE];
        UNROLL for (int n = 0; n < n_act; n++) ab[n] = act + n * astride + b * MINNOW_Q8K_BYTES;
        const __m512 dm = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ4K_D)));
        const __m512 dvec = _mm512_permutexvar_ps(idx_d, dm);
        const __m512 mvec = _mm512_permutexvar_ps(idx_m, dm);
        /* mins */
        __m512i mins[4];
        UNROLL for (int k = 0; k < 4; k++)
            mins[k] = _mm512_shuffle_epi8(_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_MN + 16 * k))), dup);
        __m512 da[TILE];
        UNROLL for (int n = 0; n < n_act; n++) {
            da[n] = _mm512_set1_ps(load_f32(ab[n]));
            const __m512i bs = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(ab[n] + MINNOW_Q8K_BSUMS)));
            __m512i M = _mm512_setzero_si512();
            UNROLL for (int k = 0; k < 4; k++) M = _mm512_dpwssd_epi32(M, mins[k], _mm512_permutexvar_epi32(pattern_index(k), bs));
            F[n] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(M), _mm512_mul_ps(mvec, da[n]), F[n]);
        }
        __m512i I[TILE];
        UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm512_setzero_si512();
        UNROLL for (int p = 0; p < 4; p++) {
            const __m512i scv = _mm512_shuffle_epi8(
                _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_SC + 16 * p))), dup);
            __m512i lo[TILE], hi[TILE];
            UNROLL for (int n = 0; n < n_act; n++) lo[n] = hi[n] = _mm512_setzero_si512();
            UNROLL for (int c = 0; c < 4; c++) {
                const __m512i x = _mm512_loadu_si512((const void *)(w + MINNOW_RQ4K_QS + (p * 4 + c) * 64));
                const __m512i wl = _mm512_and_si512(x, m4);
                const __m512i wh = _mm512_and_si512(_mm512_srli_epi16(x, 4), m4);
                UNROLL for (int n = 0; n < n_act; n++) {
                    const uint8_t *q = ab[n] + MINNOW_Q8K_QS + 64 * p + 8 * c;
                    lo[n] = _mm512_dpbusd_epi32(lo[n], wl, bcast64(q));
                    hi[n] = _mm512_dpbusd_epi32(hi[n], wh, bcast64(q + 32));
                }
            }
            UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm512_dpwssd_epi32(I[n], _mm512_packs_epi32(lo[n], hi[n]), scv);
        }
        UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[n]), _mm512_mul_ps(dvec, da[n]), F[n]);
    }
    UNROLL for (int n = 0; n < n_act; n++) store_rows(F[n], out + n * ostride);
}

static void q4k_kernel(const minnow_dot_problem *pr) {
    const uint8_t *W = (const uint8_t *)pr->weights;
    const uint8_t *A = (const uint8_t *)pr->activations;
    const int64_t blocks = pr->count / MINNOW_QK_K, groups = pr->rows / 8, gstride = 8 * pr->row_stride;
    /* Row blocks of about ROW_BLOCK_BYTES of weights, which stay in L2 while the tiles pass. */
    const int64_t gblk = gstride > 0 && ROW_BLOCK_BYTES / gstride > 1 ? ROW_BLOCK_BYTES / gstride : 1;
    for (int64_t g0 = 0; g0 < groups; g0 += gblk)
    for (int64_t a = 0; a < pr->activation_rows; a += TILE) {
        int64_t left = pr->activation_rows - a;
        const uint8_t *act = A + a * pr->activation_stride;
        float *out = pr->out + a * pr->output_stride;
        for (int64_t g = g0; g < groups && g < g0 + gblk; g++) {
            const uint8_t *grp = W + g * gstride;
            float *o = out + 8 * g;
            switch (left >= TILE ? TILE : left) {
            case 8: q4k_tile(grp, blocks, act, pr->activation_stride, 8, o, pr->output_stride); break;
            case 7: q4k_tile(grp, blocks, act, pr->activation_stride, 7, o, pr->output_stride); break;
            case 6: q4k_tile(grp, blocks, act, pr->activation_stride, 6, o, pr->output_stride); break;
            case 5: q4k_tile(grp, blocks, act, pr->activation_stride, 5, o, pr->output_stride); break;
            case 4: q4k_tile(grp, blocks, act, pr->activation_stride, 4, o, pr->output_stride); break;
            case 3: q4k_tile(grp, blocks, act, pr->activation_stride, 3, o, pr->output_stride); break;
            case 2: q4k_tile(grp, blocks, act, pr->activation_stride, 2, o, pr->output_stride); break;
            default: q4k_tile(grp, blocks, act, pr->activation_stride, 1, o, pr->output_stride); break;
            }
        }
    }
}

/* ---------------------------------------------------------------------------------------- Q6_K */

INLINE void q6k_sub(const __m512i v0, const __m512i v1, const __m512i scv, const uint8_t *const *ab, int off,
                    __m512i *I, int n_act) {
    UNROLL for (int n = 0; n < n_act; n++) {
        const uint8_t *q = ab[n] + MINNOW_Q8K_QS + off;
        const __m512i t0 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), v0, bcast64(q));
        const __m512i t1 = _mm512_dpbusd_epi32(_mm512_setzero_si512(), v1, bcast64(q + 8));
        I[n] = _mm512_dpwssd_epi32(I[n], _mm512_packs_epi32(t0, t1), scv);
    }
}

/* pshufb controls for the scale of sub-block s (index 2 (s >> 3) + (s & 1)) from the sign-extended
 * scale words of vector (s >> 1) & 3: lane (i, j) gets, in both words, word 2(2h + (j&1)) + w of
 * its 128-bit lane (h = s >> 3, w = s & 1). */
#define CTLW(a) (uint32_t)((2 * (a)) | ((2 * (a) + 1) << 8) | ((2 * (a)) << 16) | ((2 * (a) + 1) << 24))
#define CTL(h, w) { CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), \
                    CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), \
                    CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), \
                    CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)), CTLW(4 * (h) + (w)), CTLW(4 * (h) + 2 + (w)) }
static const uint32_t q6k_ctl[4][16] __attribute__((aligned(64))) = {CTL(0, 0), CTL(0, 1), CTL(1, 0), CTL(1, 1)};
#undef CTL
#undef CTLW

#define Q6K_SUB_BODY(s) \
    const __m512i rq = _mm512_set1_epi32((s >> 3) ? 28 : 0); \
    const __m512i rh = _mm512_set1_epi32((4 - 2 * (s >> 2)) & 31); \
    const uint8_t *lq = ql + 64 * ((2 * s) & 15), *hq = qh + 64 * ((2 * s) & 7); \
    const __m512i l0 = _mm512_rolv_epi32(_mm512_loadu_si512((const void *)lq), rq); \
    const __m512i l1 = _mm512_rolv_epi32(_mm512_loadu_si512((const void *)(lq + 64)), rq); \
    const __m512i h0 = _mm512_and_si512(_mm512_rolv_epi32(_mm512_loadu_si512((const void *)hq), rh), m30); \
    const __m512i h1 = _mm512_and_si512(_mm512_rolv_epi32(_mm512_loadu_si512((const void *)(hq + 64)), rh), m30); \
    /* ternary logic 0xEA = (A & B) | C */ \
    const __m512i v0 = _mm512_ternarylogic_epi32(l0, m4, h0, 0xEA); \
    const __m512i v1 = _mm512_ternarylogic_epi32(l1, m4, h1, 0xEA); \
    const __m512i sxk = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ6K_SC + 32 * ((s >> 1) & 3)))); \
    const __m512i scv = _mm512_shuffle_epi8(sxk, _mm512_load_si512((const void *)q6k_ctl[2 * (s >> 3) + (s & 1)])); \
    q6k_sub(v0, v1, scv, ab, 16 * s, I, n_act);

INLINE void q6k_tile(const uint8_t *group, int64_t blocks, const uint8_t *act, int64_t astride, int n_act,
                     float *out, int64_t ostride) {
    const __m512i m4 = _mm512_set1_epi8(0x0F);
    const __m512i m30 = _mm512_set1_epi8(0x30);
    const __m512i idx_d = row_lane_index(0);
    __m512 F[TILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *w = group + b * MINNOW_RQ6K_GROUP;
#if PF_DIST
        if (n_act <= PF_ROWS) UNROLL for (int l = 0; l < MINNOW_RQ6K_GROUP; l += 64) _mm_prefetch((const char *)(w + PF_DIST + l), _MM_HINT_T0);
#endif
        const uint8_t *ab[TILE];
        UNROLL for (int n = 0; n < n_act; n++) ab[n] = act + n * astride + b * MINNOW_Q8K_BYTES;
        const __m512 dvec = _mm512_permutexvar_ps(
            idx_d, _mm512_castps256_ps512(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ6K_D)))));
        __m512i sx[4];
        UNROLL for (int k = 0; k < 4; k++) sx[k] = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ6K_SC + 32 * k)));
        __m512i I[TILE];
        {
            __m512i neg[4];
            UNROLL for (int k = 0; k < 4; k++) neg[k] = _mm512_sub_epi16(_mm512_setzero_si512(), _mm512_slli_epi16(sx[k], 5));
            UNROLL for (int n = 0; n < n_act; n++) {
                const __m512i bs = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(ab[n] + MINNOW_Q8K_BSUMS)));
                __m512i acc = _mm512_setzero_si512();
                UNROLL for (int k = 0; k < 4; k++) acc = _mm512_dpwssd_epi32(acc, neg[k], _mm512_permutexvar_epi32(pattern_index(k), bs));
                I[n] = acc;
            }
        }
        const uint8_t *ql = w + MINNOW_RQ6K_QL, *qh = w + MINNOW_RQ6K_QH;
        /* One sub-block per iteration (not unrolled: keeps the live values within the registers).
         * V_2s, V_2s+1 come from ql chunks 2s mod 16, +1 (low nibbles for s < 8, high for s >= 8)
         * and qh chunks 2s mod 8, +1 (field s >> 2); the dword rotations bring the wanted nibble
         * to bits 0-3 and the wanted 2-bit field to bits 4-5 of each byte. */
        /* The integer sums are exact, so the loop shape may differ with the tile size: one
         * activation row unrolls it (decode speed), a tile keeps one sub-block per iteration so
         * that its live values stay within the registers. */
        if (n_act == 1) {
            UNROLL for (int s = 0; s < 16; s++) { Q6K_SUB_BODY(s) }
        } else {
            _Pragma("clang loop unroll(disable)") for (int s = 0; s < 16; s++) { Q6K_SUB_BODY(s) }
        }
        UNROLL for (int n = 0; n < n_act; n++) {
            const __m512 da = _mm512_set1_ps(load_f32(ab[n]));
            F[n] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[n]), _mm512_mul_ps(dvec, da), F[n]);
        }
    }
    UNROLL for (int n = 0; n < n_act; n++) store_rows(F[n], out + n * ostride);
}

static void q6k_kernel(const minnow_dot_problem *pr) {
    const uint8_t *W = (const uint8_t *)pr->weights;
    const uint8_t *A = (const uint8_t *)pr->activations;
    const int64_t blocks = pr->count / MINNOW_QK_K, groups = pr->rows / 8, gstride = 8 * pr->row_stride;
    /* Row blocks of about ROW_BLOCK_BYTES of weights, which stay in L2 while the tiles pass. */
    const int64_t gblk = gstride > 0 && ROW_BLOCK_BYTES / gstride > 1 ? ROW_BLOCK_BYTES / gstride : 1;
    for (int64_t g0 = 0; g0 < groups; g0 += gblk)
    for (int64_t a = 0; a < pr->activation_rows; a += TILE) {
        int64_t left = pr->activation_rows - a;
        const uint8_t *act = A + a * pr->activation_stride;
        float *out = pr->out + a * pr->output_stride;
        for (int64_t g = g0; g < groups && g < g0 + gblk; g++) {
            const uint8_t *grp = W + g * gstride;
            float *o = out + 8 * g;
            switch (left >= TILE ? TILE : left) {
            case 8: q6k_tile(grp, blocks, act, pr->activation_stride, 8, o, pr->output_stride); break;
            case 7: q6k_tile(grp, blocks, act, pr->activation_stride, 7, o, pr->output_stride); break;
            case 6: q6k_tile(grp, blocks, act, pr->activation_stride, 6, o, pr->output_stride); break;
            case 5: q6k_tile(grp, blocks, act, pr->activation_stride, 5, o, pr->output_stride); break;
            case 4: q6k_tile(grp, blocks, act, pr->activation_stride, 4, o, pr->output_stride); break;
            case 3: q6k_tile(grp, blocks, act, pr->activation_stride, 3, o, pr->output_stride); break;
            case 2: q6k_tile(grp, blocks, act, pr->activation_stride, 2, o, pr->output_stride); break;
            default: q6k_tile(grp, blocks, act, pr->activation_stride, 1, o, pr->output_stride); break;
            }
        }
    }
}

#pragma clang attribute pop

minnow_dot_fn minnow_avx512_repacked_kernel(int type) {
    switch (type) {
    case MINNOW_TYPE_Q4_K: return q4k_kernel;
    case MINNOW_TYPE_Q6_K: return q6k_kernel;
    case MINNOW_TYPE_Q8_0: case MINNOW_TYPE_Q4_0: case MINNOW_TYPE_Q5_0: case MINNOW_TYPE_Q5_K: return minnow_avx512_repacked_q32_kernel(type); /* *_repacked_q32.c */
    default: return 0;
    }
}

#else

minnow_dot_fn minnow_avx512_repacked_kernel(int type) {
    (void)type;
    return 0;
}

#endif
