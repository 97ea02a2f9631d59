/* AVX2 kernels for repacked Q8_0, Q4_0 and Q5_0 weights (layouts: repacked_q32.h); Q5_K at the
 * end.
 *
 * The structure of x86_avx512_repacked_q32.c (prepared activation slabs, tiles of activation
 * rows, float accumulators kept across slabs), with the layout read in 32-byte halves: half h of
 * a chunk holds rows 4h ..< 4h+4; lane 2r' + e of a 256-bit vector is row 4h + r', block 2p + e.
 * vpmaddubsw of a decoded half chunk with the 64-bit activation broadcast gives words 4r'+2e,
 * 4r'+2e+1 for that lane; vpmaddwd with ones brings them to int32. Q8_0 uses |w| and the
 * activations with w's sign (no offset); Q4_0/Q5_0 unsigned quants with the -K * S start value.
 * The float operations for one output are the same whatever the tile: batch invariant. */
#include "repacked_q32.h"

#if defined(__x86_64__)

#include "repacked_layout.h"
#include <immintrin.h>
#include <string.h>

#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)

#define TILE 4
#define PB 80
#define SLAB 32
#define GBLK 32
#define PF_DIST 4096 /* one activation row: software prefetch this far ahead */
#define PF_ROWS 8 /* tiles of at most this many activation rows prefetch too: small batches (speculative verification) stream the weights from DRAM as decode does */
#define ROW_BLOCK_BYTES (768 * 1024)
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

INLINE int64_t load64(const uint8_t *p) {
    int64_t v;
    memcpy(&v, p, 8);
    return v;
}
INLINE __m256i bcast64(const uint8_t *p) { return _mm256_set1_epi64x(load64(p)); }

INLINE float half_at(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}

/* Prepares pairs [p0, p1) of one activation row into buf (see x86_avx512_repacked_q32.c). */
INLINE void prepare(const uint8_t *row, int64_t blocks, int64_t p0, int64_t p1, int K, uint8_t *buf) {
    const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
    for (int64_t p = p0; p < p1; p++) {
        const uint8_t *a = row + 2 * p * 34, *b = a + 34;
        const int has_b = 2 * p + 1 < blocks;
        const __m256i A = _mm256_loadu_si256((const __m256i *)(a + 2));
        const __m256i B = has_b ? _mm256_loadu_si256((const __m256i *)(b + 2)) : _mm256_setzero_si256();
        const __m256i lo = _mm256_unpacklo_epi32(A, B), hi = _mm256_unpackhi_epi32(A, B);
        uint8_t *o = buf + (p - p0) * PB;
        _mm256_storeu_si256((__m256i *)o, _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(o + 32), _mm256_permute2x128_si256(lo, hi, 0x31));
        const __m256i sa = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, A), ones16);
        const __m256i sb = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, B), ones16);
        __m256i h = _mm256_hadd_epi32(sa, sb);
        h = _mm256_hadd_epi32(h, h);
        __m128i s = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
        s = _mm_mullo_epi32(s, _mm_set1_epi32(-K));
        float d[2] = {half_at(a), has_b ? half_at(b) : 0.0f};
        memcpy(o + 64, d, 8);
        _mm_storel_epi64((__m128i *)(o + 72), s);
    }
}

/* Lanes -> 4 outputs: out[r'] = F[2r'] + F[2r'+1]. */
INLINE void store_half(__m256 f, float *out) {
    __m256 s = _mm256_add_ps(f, _mm256_permute_ps(f, 0xB1));
    __m256 c = _mm256_permutevar8x32_ps(s, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
    _mm_storeu_ps(out, _mm256_castps256_ps128(c));
}

INLINE int pair_bytes(int type) {
    return type == MINNOW_TYPE_Q8_0 ? MINNOW_RQ8_0_PAIR : type == MINNOW_TYPE_Q4_0 ? MINNOW_RQ4_0_PAIR : MINNOW_RQ5_0_PAIR;
}
INLINE int d_offset(int type) {
    return type == MINNOW_TYPE_Q8_0 ? MINNOW_RQ8_0_D : type == MINNOW_TYPE_Q4_0 ? MINNOW_RQ4_0_D : MINNOW_RQ5_0_D;
}

/* Byte j of the result = 0x10 where bit j of the 32-bit value at p is set, else 0. */
INLINE __m256i fifth_bits(const uint8_t *p) {
    uint32_t x;
    memcpy(&x, p, 4);
    const __m256i sel = _mm256_set1_epi64x(0x8040201008040201LL);
    __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32((int)x),
                                    _mm256_setr_epi64x(0, 0x0101010101010101LL, 0x0202020202020202LL, 0x0303030303030303LL));
    v = _mm256_cmpeq_epi8(_mm256_and_si256(v, sel), sel);
    return _mm256_and_si256(v, _mm256_set1_epi8(0x10));
}

INLINE void half_pairs(const int type, const uint8_t *w, int h, int64_t np, const uint8_t *buf, const int n_act, __m256 *F) {
    const __m256i m4 = _mm256_set1_epi8(0x0F), ones16 = _mm256_set1_epi16(1), x80 = _mm256_set1_epi8((char)0x80);
    const int PBY = pair_bytes(type), DOFF = d_offset(type);
    for (int64_t p = 0; p < np; p++) {
        const uint8_t *wp = w + p * PBY;
        const uint8_t *ap[TILE];
        UNROLL for (int n = 0; n < n_act; n++) ap[n] = buf + n * (SLAB * PB) + p * PB;
#if PF_DIST
        if (n_act <= PF_ROWS && h == 0) UNROLL for (int l = 0; l < PBY; l += 64) _mm_prefetch((const char *)(wp + PF_DIST + l), _MM_HINT_T0);
#endif
        __m256i I[TILE];
        UNROLL for (int n = 0; n < n_act; n++) I[n] = bcast64(ap[n] + 72);
        if (type == MINNOW_TYPE_Q8_0) {
            UNROLL for (int k = 0; k < 8; k++) {
                const __m256i x = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(wp + 64 * k + 32 * h)), x80);
                const __m256i u = _mm256_abs_epi8(x);
                UNROLL for (int n = 0; n < n_act; n++) {
                    const __m256i t = _mm256_maddubs_epi16(u, _mm256_sign_epi8(bcast64(ap[n] + 8 * k), x));
                    I[n] = _mm256_add_epi32(I[n], _mm256_madd_epi16(t, ones16));
                }
            }
        } else {
            /* int16 partial sums: Q4_0 words <= 8 * 2 * 15 * 128; Q5_0 two halves of <= 4 * 2 * 31 * 128 */
            __m256i S[TILE];
            UNROLL for (int c = 0; c < 4; c++) {
                const __m256i x = _mm256_loadu_si256((const __m256i *)(wp + 64 * c + 32 * h));
                __m256i lo = _mm256_and_si256(x, m4), hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), m4);
                if (type == MINNOW_TYPE_Q5_0) {
                    lo = _mm256_or_si256(lo, fifth_bits(wp + MINNOW_RQ5_0_QH + 8 * c + 4 * h));
                    hi = _mm256_or_si256(hi, fifth_bits(wp + MINNOW_RQ5_0_QH + 8 * (c + 4) + 4 * h));
                }
                UNROLL for (int n = 0; n < n_act; n++) {
                    const __m256i t = _mm256_add_epi16(_mm256_maddubs_epi16(lo, bcast64(ap[n] + 8 * c)),
                                                       _mm256_maddubs_epi16(hi, bcast64(ap[n] + 8 * (c + 4))));
                    S[n] = (c == 0 || (type == MINNOW_TYPE_Q5_0 && c == 2)) ? t : _mm256_add_epi16(S[n], t);
                    if (c == 3 || (type == MINNOW_TYPE_Q5_0 && c == 1)) I[n] = _mm256_add_epi32(I[n], _mm256_madd_epi16(S[n], ones16));
                }
            }
        }
        const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(wp + DOFF + 16 * h)));
        UNROLL for (int n = 0; n < n_act; n++) {
            const __m256 da = _mm256_castsi256_ps(bcast64(ap[n] + 64));
            F[n] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(I[n]), _mm256_mul_ps(dw, da), F[n]);
        }
    }
}

INLINE void run_group(const int type, const int n_act, const uint8_t *w, int64_t np, const uint8_t *buf, float *fs,
                      int first, int last, float *out, int64_t ostride) {
    for (int h = 0; h < 2; h++) {
        __m256 F[TILE];
        UNROLL for (int n = 0; n < n_act; n++) F[n] = first ? _mm256_setzero_ps() : _mm256_load_ps(fs + 16 * n + 8 * h);
        half_pairs(type, w, h, np, buf, n_act, F);
        if (last) {
            UNROLL for (int n = 0; n < n_act; n++) store_half(F[n], out + n * ostride + 4 * h);
        } else {
            UNROLL for (int n = 0; n < n_act; n++) _mm256_store_ps(fs + 16 * n + 8 * h, F[n]);
        }
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

/* Q8_0 needs no offset correction here (sign trick): K = 0. */
static void q8_0_kernel(const minnow_dot_problem *pr) { kernel_body(MINNOW_TYPE_Q8_0, 0, pr); }
static void q4_0_kernel(const minnow_dot_problem *pr) { kernel_body(MINNOW_TYPE_Q4_0, 8, pr); }
static void q5_0_kernel(const minnow_dot_problem *pr) { kernel_body(MINNOW_TYPE_Q5_0, 16, pr); }

/* ---------------------------------------------------------------------------------------- Q5_K
 * The Q4_K kernel of x86_avx2_repacked.c (its lane conventions) with the fifth bits from the qh
 * chunks (repacked_q32.h): bit 2p (2p+1) of each byte to bit 4 of the low (high) nibble's byte.
 * vpmaddubsw words: 2 products <= 2*31*128, 4 chunks summed <= 31744: within int16. */

#define KTILE 4

INLINE float load_f32(const uint8_t *p) {
    float v;
    memcpy(&v, p, 4);
    return v;
}

INLINE __m256i pattern2(int k) { return _mm256_setr_epi32(k, k + 4, k, k + 4, k, k + 4, k, k + 4); }

INLINE __m256i half_index(int base) {
    return _mm256_setr_epi32(base, base, base + 1, base + 1, base + 2, base + 2, base + 3, base + 3);
}

#define B2W(b) ((uint32_t)(b) | 0x8000u | ((uint32_t)(b) << 16) | 0x80000000u)
#define Q4S(h, t, rp) B2W(4 * ((4 * (h) + (rp)) >> 1) + ((rp) & 1) + 2 * (t))
#define Q4SC(h, t) { Q4S(h, t, 0), Q4S(h, t, 0), Q4S(h, t, 1), Q4S(h, t, 1), Q4S(h, t, 2), Q4S(h, t, 2), Q4S(h, t, 3), Q4S(h, t, 3) }
static const uint32_t q5k_sc_ctl[2][2][8] __attribute__((aligned(32))) = {{Q4SC(0, 0), Q4SC(0, 1)}, {Q4SC(1, 0), Q4SC(1, 1)}};
#define Q4M(h, rp, e) B2W(4 * ((4 * (h) + (rp)) >> 1) + ((rp) & 1) + 2 * (e))
#define Q4MC(h) { Q4M(h, 0, 0), Q4M(h, 0, 1), Q4M(h, 1, 0), Q4M(h, 1, 1), Q4M(h, 2, 0), Q4M(h, 2, 1), Q4M(h, 3, 0), Q4M(h, 3, 1) }
static const uint32_t q5k_mn_ctl[2][8] __attribute__((aligned(32))) = {Q4MC(0), Q4MC(1)};

INLINE void q5k_half(const uint8_t *group, int h, int64_t blocks, const uint8_t *act, int64_t astride, const int n_act,
                     float *out, int64_t ostride) {
    const __m256i m4 = _mm256_set1_epi8(0x0F), m10 = _mm256_set1_epi8(0x10);
    const __m256i mnctl = _mm256_load_si256((const __m256i *)q5k_mn_ctl[h]);
    const __m256i ctl_lo = _mm256_load_si256((const __m256i *)q5k_sc_ctl[h][0]);
    const __m256i ctl_hi = _mm256_load_si256((const __m256i *)q5k_sc_ctl[h][1]);
    const __m256i idx_d = half_index(4 * h);
    __m256 F[KTILE];
    UNROLL for (int n = 0; n < n_act; n++) F[n] = _mm256_setzero_ps();
    for (int64_t b = 0; b < blocks; b++) {
        const uint8_t *w = group + b * MINNOW_RQ5K_GROUP;
#if PF_DIST
        if (n_act <= PF_ROWS && h == 0) UNROLL for (int l = 0; l < MINNOW_RQ5K_GROUP; l += 64) _mm_prefetch((const char *)(w + PF_DIST + l), _MM_HINT_T0);
#endif
        const uint8_t *ab[KTILE];
        UNROLL for (int n = 0; n < n_act; n++) ab[n] = act + n * astride + b * MINNOW_Q8K_BYTES;
        const __m256 dvec = _mm256_permutevar8x32_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_D))), idx_d);
        const __m256 mvec = _mm256_permutevar8x32_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_DMIN))), idx_d);
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
        __m256i I[KTILE];
        UNROLL for (int n = 0; n < n_act; n++) I[n] = _mm256_setzero_si256();
        _Pragma("clang loop unroll(disable)") for (int p = 0; p < 4; p++) {
            const __m256i scb = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(w + MINNOW_RQ4K_SC + 16 * p)));
            const __m128i cnt = _mm_cvtsi32_si128(2 * p);
            __m256i lo[KTILE], hi[KTILE];
            UNROLL for (int c = 0; c < 4; c++) {
                const __m256i x = _mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ4K_QS + (p * 4 + c) * 64 + 32 * h));
                /* bits 2p, 2p+1 of each byte to bits 0, 1 (16-bit shift by at most 6: no neighbour bits) */
                const __m256i qb = _mm256_srl_epi16(_mm256_loadu_si256((const __m256i *)(w + MINNOW_RQ5K_QH + 64 * c + 32 * h)), cnt);
                const __m256i wl = _mm256_or_si256(_mm256_and_si256(x, m4), _mm256_and_si256(_mm256_slli_epi16(qb, 4), m10));
                const __m256i wh = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(x, 4), m4), _mm256_and_si256(_mm256_slli_epi16(qb, 3), m10));
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

static void q5k_kernel(const minnow_dot_problem *pr) {
    const uint8_t *W = (const uint8_t *)pr->weights;
    const uint8_t *A = (const uint8_t *)pr->activations;
    const int64_t blocks = pr->count / MINNOW_QK_K, groups = pr->rows / 8, gstride = 8 * pr->row_stride;
    const int64_t as = pr->activation_stride, os = pr->output_stride;
    const int64_t gblk = gstride > 0 && ROW_BLOCK_BYTES / gstride > 1 ? ROW_BLOCK_BYTES / gstride : 1;
    for (int64_t g0 = 0; g0 < groups; g0 += gblk)
    for (int64_t a = 0; a < pr->activation_rows; a += KTILE) {
        int64_t left = pr->activation_rows - a;
        const uint8_t *act = A + a * as;
        float *out = pr->out + a * os;
        for (int64_t g = g0; g < groups && g < g0 + gblk; g++) {
            const uint8_t *grp = W + g * gstride;
            float *o = out + 8 * g;
            for (int h = 0; h < 2; h++) {
                switch (left >= KTILE ? KTILE : left) {
                case 4: q5k_half(grp, h, blocks, act, as, 4, o, os); break;
                case 3: q5k_half(grp, h, blocks, act, as, 3, o, os); break;
                case 2: q5k_half(grp, h, blocks, act, as, 2, o, os); break;
                default: q5k_half(grp, h, blocks, act, as, 1, o, os); break;
                }
            }
        }
    }
}

#pragma clang attribute pop

minnow_dot_fn minnow_avx2_repacked_q32_kernel(int type) {
    switch (type) {
    case MINNOW_TYPE_Q8_0: return q8_0_kernel;
    case MINNOW_TYPE_Q4_0: return q4_0_kernel;
    case MINNOW_TYPE_Q5_0: return q5_0_kernel;
    case MINNOW_TYPE_Q5_K: return q5k_kernel;
    default: return 0;
    }
}

#else

minnow_dot_fn minnow_avx2_repacked_q32_kernel(int type) {
    (void)type;
    return 0;
}

#endif
