/* AVX-512 VNNI kernels for repacked Q8_0, Q4_0 and Q5_0 weights (layouts: repacked_q32.h); Q5_K
 * at the end.
 *
 * A call runs over row blocks (about ROW_BLOCK_BYTES of weights, at most GBLK groups); for each,
 * over tiles of up to TILE activation rows. For a tile, the activation rows are first
 * "prepared" a slab of block pairs at a time into a stack buffer: per pair, the 8 qwords that the
 * decoded weight chunks meet (vpdpbusd with a 64-bit broadcast), the two blocks' d as floats and
 * -K times their quant sums (the offset correction, the accumulators' start value). Then every
 * 8-row group runs over the slab's pairs; each weight chunk is loaded and decoded once per tile.
 * Float accumulators of a group survive from one slab to the next in a stack buffer (exact).
 * The float operations for one (row, activation row) are the same whatever the tile, slab or
 * row range, so results are batch invariant. */
#include "repacked_q32.h"

#if defined(__x86_64__)

#include "repacked_layout.h"
#include <immintrin.h>
#include <string.h>

#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c"))), apply_to = function)

#define TILE 8      /* activation rows per tile (4 and 6 measured slower) */
#define SPLIT_MAX 8 /* tiles of up to this many activation rows use two accumulators per row
                     * (halves the vpdpbusd dependency chains: measured +70% at 64 rows) */
#define PB 80     /* prepared bytes per pair and activation row: qs[64], float d[2], int32 corr[2] */
#define SLAB 32   /* pairs prepared at a time */
#define GBLK 32   /* groups per pass over a slab (float accumulators kept in a stack buffer) */
#define PF_DIST 4096 /* one activation row: software prefetch this far ahead (measured +20% from DRAM) */
#define PF_ROWS 8 /* tiles of at most this many activation rows prefetch too: small batches (speculative verification) stream the weights from DRAM as decode does */
#define ROW_BLOCK_BYTES (768 * 1024) /* weights per row block, kept in L2 while the tiles pass */
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

INLINE int64_t load64(const uint8_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}
INLINE __m512i bcast64(const uint8_t *p) { return _mm512_set1_epi64(load64(p)); }

INLINE float half_at(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/* Prepares pairs [p0, p1) of one activation row (Q8_0 blocks) into buf, PB bytes a pair. */
INLINE void prepare(const uint8_t *row, int64_t blocks, int64_t p0, int64_t p1, int K, uint8_t *buf) {
    const __m256i ones = _mm256_set1_epi8(1);
    for (int64_t p = p0; p < p1; p++) {
        const uint8_t *a = row + 2 * p * 34, *b = a + 34;
        const int has_b = 2 * p + 1 < blocks;
        const __m256i A = _mm256_loadu_si256((const __m256i *)(a + 2));
        const __m256i B = has_b ? _mm256_loadu_si256((const __m256i *)(b + 2)) : _mm256_setzero_si256();
        const __m256i lo = _mm256_unpacklo_epi32(A, B), hi = _mm256_unpackhi_epi32(A, B);
        uint8_t *o = buf + (p - p0) * PB;
        _mm256_storeu_si256((__m256i *)o, _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(o + 32), _mm256_permute2x128_si256(lo, hi, 0x31));
        const __m256i sa = _mm256_dpbusd_epi32(_mm256_setzero_si256(), ones, A);
        const __m256i sb = _mm256_dpbusd_epi32(_mm256_setzero_si256(), ones, B);
        __m256i h = _mm256_hadd_epi32(sa, sb);
        h = _mm256_hadd_epi32(h, h); /* [SA_lo, SB_lo, SA_lo, SB_lo | SA_hi, SB_hi, ...] */
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
        s = _mm_mullo_epi32(s, _mm_set1_epi32(-K));
        float d[2] = {half_at(a), has_b ? half_at(b) : 0.0f};
        memcpy(o + 64, d, 8);
        _mm_storel_epi64((__m128i *)(o + 72), s);
    }
}

/* Row lanes -> 8 outputs: out[r] = F[2r] + F[2r+1]. */
INLINE void store_rows(__m512 f, float *out) {
    const __m512 s = _mm512_add_ps(f, _mm512_permute_ps(f, 0xB1));
    const __m512i idx = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 0, 2, 4, 6, 8, 10, 12, 14);
    _mm256_storeu_ps(out, _mm512_castps512_ps256(_mm512_permutexvar_ps(idx, s)));
}

INLINE int pair_bytes(int type) {
    return type == MINNOW_TYPE_Q8_0 ? MINNOW_RQ8_0_PAIR : type == MINNOW_TYPE_Q4_0 ? MINNOW_RQ4_0_PAIR : MINNOW_RQ5_0_PAIR;
}
INLINE int d_offset(int type) {
    return type == MINNOW_TYPE_Q8_0 ? MINNOW_RQ8_0_D : type == MINNOW_TYPE_Q4_0 ? MINNOW_RQ4_0_D : MINNOW_RQ5_0_D;
}

/* One group over `np` pairs of a slab: w its first pair block, buf the prepared slab (activation
 * row n at buf + n * SLAB * PB). */
INLINE void group_pairs(const int type, const uint8_t *w, int64_t np, const uint8_t *buf, const int n_act, __m512 *F) {
    const __m512i m4 = _mm512_set1_epi8(0x0F), m10 = _mm512_set1_epi8(0x10);
    const int PBY = pair_bytes(type), DOFF = d_offset(type);
    const int SPLIT = n_act <= SPLIT_MAX;
    for (int64_t p = 0; p < np; p++) {
        const uint8_t *wp = w + p * PBY;
        const uint8_t *ap[TILE];
        UNROLL for (int n = 0; n < n_act; n++) ap[n] = buf + n * (SLAB * PB) + p * PB;
#if PF_DIST
        if (n_act <= PF_ROWS) UNROLL for (int l = 0; l < PBY; l += 64) _mm_prefetch((const char *)(wp + PF_DIST + l), _MM_HINT_T0);
#endif
        /* Two accumulators per activation row (even and odd chunks: shorter dependency chains);
         * the integer sums are exact, so their sum is the same. */
        __m512i I[TILE], J[TILE];
        UNROLL for (int n = 0; n < n_act; n++) {
            I[n] = bcast64(ap[n] + 72);
            J[n] = _mm512_setzero_si512();
        }
#define DOT(n, x, k, odd)                                                                              \
    do {                                                                                               \
        if (SPLIT && (odd)) J[n] = _mm512_dpbusd_epi32(J[n], (x), bcast64(ap[n] + 8 * (k)));        \
        else I[n] = _mm512_dpbusd_epi32(I[n], (x), bcast64(ap[n] + 8 * (k)));                          \
    } while (0)
        if (type == MINNOW_TYPE_Q8_0) {
            UNROLL for (int k = 0; k < 8; k++) {
                const __m512i x = _mm512_loadu_si512((const void *)(wp + 64 * k));
                UNROLL for (int n = 0; n < n_act; n++) DOT(n, x, k, k & 1);
            }
        } else {
            UNROLL for (int c = 0; c < 4; c++) {
                const __m512i x = _mm512_loadu_si512((const void *)(wp + 64 * c));
                __m512i lo = _mm512_and_si512(x, m4), hi = _mm512_and_si512(_mm512_srli_epi16(x, 4), m4);
                if (type == MINNOW_TYPE_Q5_0) {
                    const __mmask64 kl = _cvtu64_mask64((uint64_t)load64(wp + MINNOW_RQ5_0_QH + 8 * c));
                    const __mmask64 kh = _cvtu64_mask64((uint64_t)load64(wp + MINNOW_RQ5_0_QH + 8 * (c + 4)));
                    lo = _mm512_mask_add_epi8(lo, kl, lo, m10);
                    hi = _mm512_mask_add_epi8(hi, kh, hi, m10);
                }
                UNROLL for (int n = 0; n < n_act; n++) {
                    DOT(n, lo, c, 0);
                    DOT(n, hi, c + 4, 1);
                }
            }
        }
#undef DOT
        if (SPLIT) UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm512_add_epi32(I[n], J[n]);
        const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(wp + DOFF)));
        UNROLL for (int n = 0; n < n_act; n++) {
            const __m512 da = _mm512_castsi512_ps(bcast64(ap[n] + 64));
            F[n] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[n]), _mm512_mul_ps(dw, da), F[n]);
        }
    }
}

INLINE void run_group(const int type, const int n_act, const uint8_t *w, int64_t np, const uint8_t *buf, float *fs,
                      int first, int last, float *out, int64_t ostride) {
    __m512 F[TILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = first ? _mm512_setzero_ps() : _mm512_load_ps(fs + 16 * n);
    group_pairs(type, w, np, buf, n_act, F);
    if (last) {
        UNROLL for (int n = 0; n < n_act; n++) store_rows(F[n], out + n * ostride);
    } else {
        UNROLL for (int n = 0; n < n_act; n++) _mm512_store_ps(fs + 16 * n, F[n]);
    }
}

INLINE void kernel_body(const int type, const int K, const minnow_dot_problem *pr) {
    const uint8_t *W = (const uint8_t *)pr->weights;
    const uint8_t *A = (const uint8_t *)pr->activations;
    const int64_t blocks = pr->count / 32, pairs = (blocks + 1) / 2, groups = pr->rows / 8;
    const int64_t gstride = 8 * pr->row_stride, as = pr->activation_stride, os = pr->output_stride;
    const int PBY = pair_bytes(type);
    uint8_t buf[TILE * SLAB * PB] __attribute__((aligned(64)));
    float fs[GBLK * TILE * 16] __attribute__((aligned(64)));
    /* Row blocks of at most GBLK groups and about ROW_BLOCK_BYTES of weights (kept in L2 while
     * the tiles pass); the float accumulators of a block's groups live in fs between slabs. */
    const int64_t gfit = gstride > 0 ? ROW_BLOCK_BYTES / gstride : GBLK;
    const int64_t gblk = gfit < 1 ? 1 : gfit > GBLK ? GBLK : gfit;
    for (int64_t g0 = 0; g0 < groups; g0 += gblk) {
        const int64_t g1 = g0 + gblk < groups ? g0 + gblk : groups;
        for (int64_t a0 = 0; a0 < pr->activation_rows; a0 += TILE) {
            const int64_t left = pr->activation_rows - a0;
            const int n = left >= TILE ? TILE : (int)left;
            float *out = pr->out + a0 * os;
            for (int64_t s0 = 0; s0 < pairs; s0 += SLAB) {
                const int64_t s1 = s0 + SLAB < pairs ? s0 + SLAB : pairs;
                const int first = s0 == 0, last = s1 == pairs;
                for (int k = 0; k < n; k++) prepare(A + (a0 + k) * as, blocks, s0, s1, K, buf + k * SLAB * PB);
                for (int64_t g = g0; g < g1; g++) {
                    const uint8_t *w = W + g * gstride + s0 * PBY;
                    float *fsg = fs + (g - g0) * TILE * 16, *o = out + 8 * g;
                    switch (n) {
                    case 8: run_group(type, 8, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    case 7: run_group(type, 7, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    case 6: run_group(type, 6, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    case 5: run_group(type, 5, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    case 4: run_group(type, 4, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    case 3: run_group(type, 3, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    case 2: run_group(type, 2, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    default: run_group(type, 1, w, s1 - s0, buf, fsg, first, last, o, os); break;
                    }
                }
            }
        }
    }
}

static void q8_0_kernel(const minnow_dot_problem *pr) { kernel_body(MINNOW_TYPE_Q8_0, 128, pr); }
static void q4_0_kernel(const minnow_dot_problem *pr) { kernel_body(MINNOW_TYPE_Q4_0, 8, pr); }
static void q5_0_kernel(const minnow_dot_problem *pr) { kernel_body(MINNOW_TYPE_Q5_0, 16, pr); }

/* ---------------------------------------------------------------------------------------- Q5_K
 * The Q4_K kernel of x86_avx512_repacked.c (lane conventions: repacked_layout.h) with the fifth
 * bits: for pair p, chunk c, byte bits 2p / 2p+1 of qh chunk c (vptestmb) add 16 to the low /
 * high nibbles. lo/hi sums are packed every 2 chunks (8 products each, within int16). */

#define KTILE 4 /* activation rows per tile (8 measured no faster) */

INLINE float load_f32(const uint8_t *p) {
    float v;
    memcpy(&v, p, 4);
    return v;
}

/* Row lanes -> 8 outputs: out[r] = F[4(r>>1) + (r&1)] + F[4(r>>1) + (r&1) + 2]. */
INLINE void store_rows_k(__m512 f, float *out) {
    __m512 s = _mm512_add_ps(f, _mm512_permute_ps(f, 0x4E));
    const __m512i idx = _mm512_setr_epi32(0, 1, 4, 5, 8, 9, 12, 13, 0, 1, 4, 5, 8, 9, 12, 13);
    _mm256_storeu_ps(out, _mm512_castps512_ps256(_mm512_permutexvar_ps(idx, s)));
}

INLINE __m512i pattern_index(int k) {
    return _mm512_setr_epi32(k, k, k + 4, k + 4, k, k, k + 4, k + 4, k, k, k + 4, k + 4, k, k, k + 4, k + 4);
}

INLINE __m512i row_lane_index(int base) {
    return _mm512_setr_epi32(base + 0, base + 1, base + 0, base + 1, base + 2, base + 3, base + 2, base + 3,
                             base + 4, base + 5, base + 4, base + 5, base + 6, base + 7, base + 6, base + 7);
}

INLINE void q5k_tile(const uint8_t *group, int64_t blocks, const uint8_t *act, int64_t astride, const int n_act,
                     float *out, int64_t ostride) {
    const __m512i m4 = _mm512_set1_epi8(0x0F), m10 = _mm512_set1_epi8(0x10);
    const __m512i dup = _mm512_setr_epi32(
        (int)0x80008000, (int)0x80018001, (int)0x80028002, (int)0x80038003, (int)0x80048004, (int)0x80058005, (int)0x80068006, (int)0x80078007,
        (int)0x80088008, (int)0x80098009, (int)0x800A800A, (int)0x800B800B, (int)0x800C800C, (int)0x800D800D, (int)0x800E800E, (int)0x800F800F);
    const __m512i idx_d = row_lane_index(0), idx_m = row_lane_index(8);
    __m512 F[KTILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm512_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *w = group + b * MINNOW_RQ5K_GROUP;
#if PF_DIST
        if (n_act <= PF_ROWS) UNROLL for (int l = 0; l < MINNOW_RQ5K_GROUP; l += 64) _mm_prefetch((const char *)(w + PF_DIST + l), _MM_HINT_T0);
#endif
        const uint8_t *ab[KTILE];
        UNROLL for (int n = 0; n < n_act; n++) ab[n] = act + n * astride + b * MINNOW_Q8K_BYTES;
        const __m512 dm = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ4K_D)));
        const __m512 dvec = _mm512_permutexvar_ps(idx_d, dm);
        const __m512 mvec = _mm512_permutexvar_ps(idx_m, dm);
        __m512i mins[4];
        UNROLL for (int k = 0; k < 4; k++)
            mins[k] = _mm512_shuffle_epi8(_mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_MN + 16 * k))), dup);
        __m512 da[KTILE];
        UNROLL for (int n = 0; n < n_act; n++) {
            da[n] = _mm512_set1_ps(load_f32(ab[n]));
            const __m512i bs = _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(ab[n] + MINNOW_Q8K_BSUMS)));
            __m512i M = _mm512_setzero_si512();
            UNROLL for (int k = 0; k < 4; k++) M = _mm512_dpwssd_epi32(M, mins[k], _mm512_permutexvar_epi32(pattern_index(k), bs));
            F[n] = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(M), _mm512_mul_ps(mvec, da[n]), F[n]);
        }
        __m512i I[KTILE];
        UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm512_setzero_si512();
        UNROLL for (int p = 0; p < 4; p++) {
            const __m512i scv = _mm512_shuffle_epi8(
                _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_SC + 16 * p))), dup);
            const __m512i bl = _mm512_set1_epi8((char)(1 << (2 * p))), bh = _mm512_set1_epi8((char)(2 << (2 * p)));
            UNROLL for (int half = 0; half < 2; half++) {
                __m512i lo[KTILE], hi[KTILE];
                UNROLL for (int n = 0; n < n_act; n++) lo[n] = hi[n] = _mm512_setzero_si512();
                UNROLL for (int c = 2 * half; c < 2 * half + 2; c++) {
                    const __m512i x = _mm512_loadu_si512((const void *)(w + MINNOW_RQ4K_QS + (p * 4 + c) * 64));
                    const __m512i qh = _mm512_loadu_si512((const void *)(w + MINNOW_RQ5K_QH + 64 * c));
                    __m512i wl = _mm512_and_si512(x, m4);
                    __m512i wh = _mm512_and_si512(_mm512_srli_epi16(x, 4), m4);
                    wl = _mm512_mask_add_epi8(wl, _mm512_test_epi8_mask(qh, bl), wl, m10);
                    wh = _mm512_mask_add_epi8(wh, _mm512_test_epi8_mask(qh, bh), wh, m10);
                    UNROLL for (int n = 0; n < n_act; n++) {
                        const uint8_t *q = ab[n] + MINNOW_Q8K_QS + 64 * p + 8 * c;
                        lo[n] = _mm512_dpbusd_epi32(lo[n], wl, bcast64(q));
                        hi[n] = _mm512_dpbusd_epi32(hi[n], wh, bcast64(q + 32));
                    }
                }
                UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm512_dpwssd_epi32(I[n], _mm512_packs_epi32(lo[n], hi[n]), scv);
            }
        }
        UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(I[n]), _mm512_mul_ps(dvec, da[n]), F[n]);
    }
    UNROLL for (int n = 0; n < n_act; n++) store_rows_k(F[n], out + n * ostride);
}

static void q5k_kernel(const minnow_dot_problem *pr) {
    const uint8_t *W = (const uint8_t *)pr->weights;
    const uint8_t *A = (const uint8_t *)pr->activations;
    const int64_t blocks = pr->count / MINNOW_QK_K, groups = pr->rows / 8, gstride = 8 * pr->row_stride;
    const int64_t gblk = gstride > 0 && ROW_BLOCK_BYTES / gstride > 1 ? ROW_BLOCK_BYTES / gstride : 1;
    for (int64_t g0 = 0; g0 < groups; g0 += gblk)
    for (int64_t a = 0; a < pr->activation_rows; a += KTILE) {
        int64_t left = pr->activation_rows - a;
        const uint8_t *act = A + a * pr->activation_stride;
        float *out = pr->out + a * pr->output_stride;
        for (int64_t g = g0; g < groups && g < g0 + gblk; g++) {
            const uint8_t *grp = W + g * gstride;
            float *o = out + 8 * g;
            switch (left >= KTILE ? KTILE : left) {
            case 4: q5k_tile(grp, blocks, act, pr->activation_stride, 4, o, pr->output_stride); break;
            case 3: q5k_tile(grp, blocks, act, pr->activation_stride, 3, o, pr->output_stride); break;
            case 2: q5k_tile(grp, blocks, act, pr->activation_stride, 2, o, pr->output_stride); break;
            default: q5k_tile(grp, blocks, act, pr->activation_stride, 1, o, pr->output_stride); break;
            }
        }
    }
}

#pragma clang attribute pop

minnow_dot_fn minnow_avx512_repacked_q32_kernel(int type) {
    switch (type) {
    case MINNOW_TYPE_Q8_0: return q8_0_kernel;
    case MINNOW_TYPE_Q4_0: return q4_0_kernel;
    case MINNOW_TYPE_Q5_0: return q5_0_kernel;
    case MINNOW_TYPE_Q5_K: return q5k_kernel;
    default: return 0;
    }
}

#else

minnow_dot_fn minnow_avx512_repacked_q32_kernel(int type) {
    (void)type;
    return 0;
}

#endif
