/*
 * x86 kernels for weights in ggml's own row layout: AVX2 + FMA + F16C (vpmaddubsw/vpmaddwd).
 *
 * x86_avx512_plain.c compiles this same file a second time with MINNOW_PLAIN_VNNI set, for the
 * AVX-512 VNNI variant: the integer dot products then use vpdpbusd/vpdpwssd (256-bit vectors).
 * The integer sums are exact either way, so both variants give the same bits.
 *
 * Structure. Each weight type has a `decode` (one weight block into registers: quants as unsigned
 * or sign-split bytes, scales) and an `accum` (that decoded block against one activation block:
 * exact integer sums, then a fixed sequence of float FMAs into an 8-lane accumulator). A kernel
 * walks a chunk of weight rows (kept in L2) for groups of up to 4 activation rows, decoding each
 * weight block once per group. Every output runs the same accum calls in block order and ends
 * with the same horizontal sum, whatever the group size, row range or activation_rows: results
 * are bit-for-bit batch invariant (the header's rule).
 */
#include "variants.h"
#include "k_scales.h"

#ifndef MINNOW_PLAIN_VNNI
#define MINNOW_PLAIN_VNNI 0
#define MINNOW_PLAIN_LOOKUP minnow_avx2_plain_kernel
#endif

#if defined(__x86_64__)

#include <immintrin.h>
#include <string.h>

#if MINNOW_PLAIN_VNNI
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni,avx2,fma,f16c"))), apply_to = function)
#else
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#endif

#define INLINE static inline __attribute__((always_inline))

/* acc + Σ of 4 adjacent u8·s8 products per int32 lane. */
#if MINNOW_PLAIN_VNNI
#define DOT_U8S8(acc, u, s) _mm256_dpbusd_epi32((acc), (u), (s))
/* acc + Σ of 2 adjacent int16 products per int32 lane. */
#define DOT_I16(acc, a, b) _mm256_dpwssd_epi32((acc), (a), (b))
#else
#define DOT_U8S8(acc, u, s) _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1)))
#define DOT_I16(acc, a, b) _mm256_add_epi32((acc), _mm256_madd_epi16((a), (b)))
#endif

INLINE __m256i load256(const void *p) { return _mm256_loadu_si256((const __m256i *)p); }
INLINE __m128i load128(const void *p) { return _mm_loadu_si128((const __m128i *)p); }
INLINE float half_at(const uint8_t *p) {
    uint16_t h;
    memcpy(&h, p, 2);
    return _cvtsh_ss(h);
}
INLINE float float_at(const uint8_t *p) {
    float f;
    memcpy(&f, p, 4);
    return f;
}
INLINE uint32_t u32_at(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* The sum of the 8 lanes, always in this order. */
INLINE float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/* One output's running state: 8 float lanes plus a scalar (the Q4_1/Q5_1 offset term). */
typedef struct { __m256 v; float s; } acc_t;

/* ---------------------------------------------------------------- 32-element blocks */

/* A decoded 32-element block: `u` unsigned bytes (or |w| for signed types), `w` the signed bytes
 * (signed types only), d and m (Q4_1/Q5_1). */
typedef struct { __m256i u, w; float d, m; } dec32_t;

/* The 32 nibbles of 16 bytes: low nibbles are elements 0..15, high nibbles 16..31. */
INLINE __m256i nibbles32(const uint8_t *p) {
    __m128i x = load128(p);
    return _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(x, 4), x), _mm256_set1_epi8(0x0F));
}

/* Byte i = 0xFF where bit i of x is set, else 0. */
INLINE __m256i expand_bits(uint32_t x) {
    __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32((int)x),
                                    _mm256_set_epi64x(0x0303030303030303LL, 0x0202020202020202LL,
                                                      0x0101010101010101LL, 0));
    v = _mm256_or_si256(v, _mm256_set1_epi64x(0x7FBFDFEFF7FBFDFELL));
    return _mm256_cmpeq_epi8(v, _mm256_set1_epi64x(-1));
}

INLINE void dec_q4_0(const uint8_t *b, dec32_t *o) {
    o->w = _mm256_sub_epi8(nibbles32(b + 2), _mm256_set1_epi8(8));
    o->u = _mm256_abs_epi8(o->w);
    o->d = half_at(b);
}
INLINE void dec_q5_0(const uint8_t *b, dec32_t *o) {
    /* (q | bit4) - 16 == q | 0xF0 where the fifth bit is clear, q where it is set. */
    __m256i high = _mm256_andnot_si256(expand_bits(u32_at(b + 2)), _mm256_set1_epi8((char)0xF0));
    o->w = _mm256_or_si256(nibbles32(b + 6), high);
    o->u = _mm256_abs_epi8(o->w);
    o->d = half_at(b);
}
INLINE void dec_q8_0(const uint8_t *b, dec32_t *o) {
    o->w = load256(b + 2);
    o->u = _mm256_abs_epi8(o->w);
    o->d = half_at(b);
}
INLINE void dec_q4_1(const uint8_t *b, dec32_t *o) {
    o->u = nibbles32(b + 4);
    o->d = half_at(b);
    o->m = half_at(b + 2);
}
INLINE void dec_q5_1(const uint8_t *b, dec32_t *o) {
    __m256i high = _mm256_and_si256(expand_bits(u32_at(b + 4)), _mm256_set1_epi8(0x10));
    o->u = _mm256_or_si256(nibbles32(b + 8), high);
    o->d = half_at(b);
    o->m = half_at(b + 2);
}

/* Signed weights · Q8_0 activations: |w| · (a with w's sign). */
INLINE void acc_signed32(const dec32_t *w, const uint8_t *a, acc_t *acc) {
    __m256i x = _mm256_sign_epi8(load256(a + 2), w->w);
    __m256i sum = DOT_U8S8(_mm256_setzero_si256(), w->u, x);
    acc->v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(w->d * half_at(a)), acc->v);
}
/* Unsigned weights with offset m · Q8_1 activations: d·dx·Σq·x, plus m·s. */
INLINE void acc_offset32(const dec32_t *w, const uint8_t *a, acc_t *acc) {
    __m256i sum = DOT_U8S8(_mm256_setzero_si256(), w->u, load256(a + 4));
    acc->v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(w->d * half_at(a)), acc->v);
    acc->s = acc->s + w->m * half_at(a + 2);
}

/* ---------------------------------------------------------------- 256-element K-quant blocks */

/* A decoded K-quant block: q[t] the unsigned quants of elements 32t ..< 32t+32; sc[t] the int16
 * scales for them (lanes 0-7: elements 32t ..< 32t+16, lanes 8-15: the next 16); corr, int16 per
 * 16-element group, multiplies the activation's bsums for the offset/minimum term. */
typedef struct { __m256i q[8], sc[8], corr; float d, dmin; } deck_t;

/* From 16 int16 scales (one per 16 elements), the pattern for quant vector t. */
INLINE __m256i scale_pattern(__m256i s16, int t) {
    __m256i pair = _mm256_permutevar8x32_epi32(s16, _mm256_set1_epi32(t));
    return _mm256_shuffle_epi8(pair, _mm256_set_epi8(3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2,
                                                     1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0));
}

INLINE void dec_q45_k(const uint8_t *b, deck_t *o, int five) {
    uint8_t sc[8], mn[8];
    minnow_k4_scales(b + 4, sc, mn);
    uint64_t s64, m64;
    memcpy(&s64, sc, 8);
    memcpy(&m64, mn, 8);
    __m128i sv = _mm_cvtsi64_si128((long long)s64), mv = _mm_cvtsi64_si128((long long)m64);
    __m256i s16 = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(sv, sv));
    o->corr = _mm256_cvtepu8_epi16(_mm_unpacklo_epi8(mv, mv));
    const uint8_t *qs = b + (five ? 48 : 16);
    const __m256i mask = _mm256_set1_epi8(0x0F);
    __m256i qh = five ? load256(b + 16) : _mm256_setzero_si256();
    for (int j = 0; j < 4; j++) {
        __m256i x = load256(qs + 32 * j);
        __m256i lo = _mm256_and_si256(x, mask), hi = _mm256_and_si256(_mm256_srli_epi16(x, 4), mask);
        if (five) {
            const __m256i bit4 = _mm256_set1_epi8(0x10);
            /* bit 2j (2j+1) of each qh byte to bit 4: the 16-bit shifts never bring in a neighbour's bit 4. */
            __m256i l5 = j < 2 ? _mm256_slli_epi16(qh, 4 - 2 * j) : _mm256_srli_epi16(qh, 2 * j - 4);
            __m256i h5 = j < 2 ? _mm256_slli_epi16(qh, 3 - 2 * j) : _mm256_srli_epi16(qh, 2 * j - 3);
            lo = _mm256_or_si256(lo, _mm256_and_si256(l5, bit4));
            hi = _mm256_or_si256(hi, _mm256_and_si256(h5, bit4));
        }
        o->q[2 * j] = lo;
        o->q[2 * j + 1] = hi;
    }
    for (int t = 0; t < 8; t++) o->sc[t] = scale_pattern(s16, t);
    o->d = half_at(b);
    o->dmin = half_at(b + 2);
}
INLINE void dec_q4_k(const uint8_t *b, deck_t *o) { dec_q45_k(b, o, 0); }
INLINE void dec_q5_k(const uint8_t *b, deck_t *o) { dec_q45_k(b, o, 1); }

INLINE void dec_q2_k(const uint8_t *b, deck_t *o) {
    __m128i raw = load128(b);
    __m256i s16 = _mm256_cvtepu8_epi16(_mm_and_si128(raw, _mm_set1_epi8(0x0F)));
    o->corr = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(raw, 4), _mm_set1_epi8(0x0F)));
    const __m256i three = _mm256_set1_epi8(3);
    for (int h = 0; h < 2; h++) {
        __m256i x = load256(b + 16 + 32 * h);
        o->q[4 * h] = _mm256_and_si256(x, three);
        o->q[4 * h + 1] = _mm256_and_si256(_mm256_srli_epi16(x, 2), three);
        o->q[4 * h + 2] = _mm256_and_si256(_mm256_srli_epi16(x, 4), three);
        o->q[4 * h + 3] = _mm256_and_si256(_mm256_srli_epi16(x, 6), three);
    }
    for (int t = 0; t < 8; t++) o->sc[t] = scale_pattern(s16, t);
    o->d = half_at(b + 80);
    o->dmin = half_at(b + 82);
}

/* Q3_K: quants as q+4 (0..7); corr = 4·scale so that Σ sc·(q+4)·x - corr·bsums = Σ sc·q·x. */
INLINE void dec_q3_k(const uint8_t *b, deck_t *o) {
    const uint8_t *t = b + 96;
    uint32_t w0 = u32_at(t), w1 = u32_at(t + 4), w2 = u32_at(t + 8), s[4];
    s[0] = (w0 & 0x0f0f0f0fu) | ((w2 & 0x03030303u) << 4);
    s[1] = (w1 & 0x0f0f0f0fu) | (((w2 >> 2) & 0x03030303u) << 4);
    s[2] = ((w0 >> 4) & 0x0f0f0f0fu) | (((w2 >> 4) & 0x03030303u) << 4);
    s[3] = ((w1 >> 4) & 0x0f0f0f0fu) | (((w2 >> 6) & 0x03030303u) << 4);
    __m128i sb = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)s), _mm_set1_epi8(32));
    __m256i s16 = _mm256_cvtepi8_epi16(sb);
    o->corr = _mm256_slli_epi16(s16, 2);
    const __m256i three = _mm256_set1_epi8(3), one = _mm256_set1_epi8(1);
    __m256i hm = load256(b);
    for (int h = 0; h < 2; h++) {
        __m256i x = load256(b + 32 + 32 * h);
        for (int g = 0; g < 4; g++) {
            __m256i low = _mm256_and_si256(_mm256_srli_epi16(x, 2 * g), three);
            __m256i high = _mm256_and_si256(_mm256_srli_epi16(hm, 4 * h + g), one);
            o->q[4 * h + g] = _mm256_or_si256(low, _mm256_slli_epi16(high, 2));
        }
    }
    for (int k = 0; k < 8; k++) o->sc[k] = scale_pattern(s16, k);
    o->d = half_at(b + 108);
    o->dmin = 0;
}

/* Q6_K: quants as q+32 (0..63); corr = 32·scale. */
INLINE void dec_q6_k(const uint8_t *b, deck_t *o) {
    __m256i s16 = _mm256_cvtepi8_epi16(load128(b + 192));
    o->corr = _mm256_slli_epi16(s16, 5);
    const __m256i mask = _mm256_set1_epi8(0x0F), three = _mm256_set1_epi8(3);
    for (int h = 0; h < 2; h++) {
        __m256i l0 = load256(b + 64 * h), l1 = load256(b + 64 * h + 32), qh = load256(b + 128 + 32 * h);
        __m256i h0 = _mm256_slli_epi16(_mm256_and_si256(qh, three), 4);
        __m256i h1 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), three), 4);
        __m256i h2 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), three), 4);
        __m256i h3 = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), three), 4);
        o->q[4 * h] = _mm256_or_si256(_mm256_and_si256(l0, mask), h0);
        o->q[4 * h + 1] = _mm256_or_si256(_mm256_and_si256(l1, mask), h1);
        o->q[4 * h + 2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), mask), h2);
        o->q[4 * h + 3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), mask), h3);
    }
    for (int t = 0; t < 8; t++) o->sc[t] = scale_pattern(s16, t);
    o->d = half_at(b + 208);
    o->dmin = 0;
}

/* Σ_t sc[t]·(q[t]·x) over a Q8_K block, as 8 int32 lanes. */
INLINE __m256i ksums(const deck_t *w, const uint8_t *a) {
    __m256i sum = _mm256_setzero_si256();
    for (int t = 0; t < 8; t++) {
        sum = DOT_I16(sum, _mm256_maddubs_epi16(w->q[t], load256(a + 4 + 32 * t)), w->sc[t]);
    }
    return sum;
}
#if MINNOW_PLAIN_VNNI
/* With AVX-512 the block's quants and scales go into 512-bit registers once (64 elements each),
 * so each activation row takes half the multiply instructions. The integer sums are the same. */
typedef struct { __m512i q[4], sc[4]; __m256i corr; float d, dmin; } deckz_t;

INLINE __m512i concat256(__m256i lo, __m256i hi) { return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1); }

INLINE void widen_k(const deck_t *k, deckz_t *o) {
    for (int u = 0; u < 4; u++) {
        o->q[u] = concat256(k->q[2 * u], k->q[2 * u + 1]);
        o->sc[u] = concat256(k->sc[2 * u], k->sc[2 * u + 1]);
    }
    o->corr = k->corr;
    o->d = k->d;
    o->dmin = k->dmin;
}
#define WIDE_DECODER(name)                                     \
    INLINE void name##_z(const uint8_t *b, deckz_t *o) {       \
        deck_t k;                                              \
        name(b, &k);                                           \
        widen_k(&k, o);                                        \
    }
WIDE_DECODER(dec_q2_k)
WIDE_DECODER(dec_q3_k)
WIDE_DECODER(dec_q4_k)
WIDE_DECODER(dec_q5_k)
WIDE_DECODER(dec_q6_k)

INLINE __m256i ksumsz(const deckz_t *w, const uint8_t *a) {
    __m512i sum = _mm512_setzero_si512();
    for (int u = 0; u < 4; u++) {
        sum = _mm512_dpwssd_epi32(sum, _mm512_maddubs_epi16(w->q[u], _mm512_loadu_si512(a + 4 + 64 * u)), w->sc[u]);
    }
    return _mm256_add_epi32(_mm512_castsi512_si256(sum), _mm512_extracti64x4_epi64(sum, 1));
}
#define KDEC deckz_t
#define KSUMS ksumsz
#define KDECODE(name) name##_z
#else
#define KDEC deck_t
#define KSUMS ksums
#define KDECODE(name) name
#endif

/* Types with a minimum (Q2_K, Q4_K, Q5_K): d·dx·Σ sc·q·x - dmin·dx·Σ m·bsums.
 * Symmetric types with offset quants (Q3_K, Q6_K): d·dx·(Σ sc·q'·x - Σ corr·bsums).
 * Defined for both decoded forms (they give the same integers, then the same float operations). */
#define DEFINE_KACC(suffix, dec_type, sums_fn)                                                        \
    INLINE void acc_kmin##suffix(const dec_type *w, const uint8_t *a, acc_t *acc) {                   \
        __m256i sum = sums_fn(w, a);                                                                  \
        __m256i mins = _mm256_madd_epi16(load256(a + 260), w->corr);                                  \
        float dx = float_at(a);                                                                       \
        acc->v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(w->d * dx), acc->v);         \
        acc->v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(mins), _mm256_set1_ps(-(w->dmin * dx)), acc->v);  \
    }                                                                                                 \
    INLINE void acc_ksym##suffix(const dec_type *w, const uint8_t *a, acc_t *acc) {                   \
        __m256i sum = _mm256_sub_epi32(sums_fn(w, a), _mm256_madd_epi16(load256(a + 260), w->corr));  \
        acc->v = _mm256_fmadd_ps(_mm256_cvtepi32_ps(sum), _mm256_set1_ps(w->d * float_at(a)), acc->v); \
    }
DEFINE_KACC(, deck_t, ksums)
#if MINNOW_PLAIN_VNNI
DEFINE_KACC(_z, deckz_t, ksumsz)
#define KACC(name) name##_z
#else
#define KACC(name) name
#endif

/* ---------------------------------------------------------------- drivers */

/* Activation rows per weight-block decode: AVX-512 has the registers for 8. */
#if MINNOW_PLAIN_VNNI
#define GROUP 8
#else
#define GROUP 4
#endif

/* Weight bytes per row chunk: the chunk stays in L2 while the activation groups pass over it. */
#define CHUNK_BYTES (192 * 1024)

/*
 * kernel_<name>: rows [r0, r1) against activation rows [a0, a0 + N), N a constant 1..4 after
 * inlining; each weight block is decoded once for the N activation rows.
 */
#define DEFINE_KERNEL(name, dec_type, ELEMS, WBYTES, ABYTES, decode, accum, dec1_type, decode1, accum1)                                  \
    INLINE void name##_tile(const minnow_dot_problem *p, int64_t r0, int64_t r1, int64_t a0, const int N) {  \
        const int64_t blocks = p->count / (ELEMS);                                                           \
        const uint8_t *acts = (const uint8_t *)p->activations + a0 * p->activation_stride;                   \
        for (int64_t r = r0; r < r1; r++) {                                                                  \
            const uint8_t *w = (const uint8_t *)p->weights + r * p->row_stride;                              \
            acc_t acc[GROUP];                                                                                \
            for (int k = 0; k < N; k++) {                                                                    \
                acc[k].v = _mm256_setzero_ps();                                                              \
                acc[k].s = 0;                                                                                \
            }                                                                                                \
            for (int64_t b = 0; b < blocks; b++) {                                                           \
                dec_type dec;                                                                                \
                decode(w + b * (WBYTES), &dec);                                                              \
                for (int k = 0; k < N; k++) accum(&dec, acts + k * p->activation_stride + b * (ABYTES), &acc[k]); \
            }                                                                                                \
            for (int k = 0; k < N; k++) p->out[(a0 + k) * p->output_stride + r] = hsum(acc[k].v) + acc[k].s; \
        }                                                                                                    \
    }                                                                                                        \
    static void name##_single(const minnow_dot_problem *p) {                                                 \
        const int64_t blocks = p->count / (ELEMS);                                                           \
        const uint8_t *acts = (const uint8_t *)p->activations;                                               \
        for (int64_t r = 0; r < p->rows; r++) {                                                              \
            const uint8_t *w = (const uint8_t *)p->weights + r * p->row_stride;                              \
            acc_t acc = {_mm256_setzero_ps(), 0};                                                            \
            for (int64_t b = 0; b < blocks; b++) {                                                           \
                dec1_type dec;                                                                               \
                decode1(w + b * (WBYTES), &dec);                                                             \
                accum1(&dec, acts + b * (ABYTES), &acc);                                                     \
            }                                                                                                \
            p->out[r] = hsum(acc.v) + acc.s;                                                                 \
        }                                                                                                    \
    }                                                                                                        \
    static void name##_kernel(const minnow_dot_problem *p) {                                                 \
        const int64_t rows = p->rows, arows = p->activation_rows;                                            \
        if (arows == 1) {                                                                                    \
            name##_single(p);                                                                                \
            return;                                                                                          \
        }                                                                                                    \
        int64_t chunk = p->row_stride > 0 ? CHUNK_BYTES / p->row_stride : rows;                              \
        if (chunk < 4) chunk = 4;                                                                            \
        for (int64_t r0 = 0; r0 < rows; r0 += chunk) {                                                       \
            int64_t r1 = r0 + chunk < rows ? r0 + chunk : rows, a = 0;                                       \
            for (; a + GROUP <= arows; a += GROUP) name##_tile(p, r0, r1, a, GROUP);                         \
            switch (arows - a) {                                                                             \
            case 7: name##_tile(p, r0, r1, a, 7); break;                                                     \
            case 6: name##_tile(p, r0, r1, a, 6); break;                                                     \
            case 5: name##_tile(p, r0, r1, a, 5); break;                                                     \
            case 4: name##_tile(p, r0, r1, a, 4); break;                                                     \
            case 3: name##_tile(p, r0, r1, a, 3); break;                                                     \
            case 2: name##_tile(p, r0, r1, a, 2); break;                                                     \
            case 1: name##_tile(p, r0, r1, a, 1); break;                                                     \
            default: break;                                                                                  \
            }                                                                                                \
        }                                                                                                    \
    }

DEFINE_KERNEL(q4_0, dec32_t, 32, 18, 34, dec_q4_0, acc_signed32, dec32_t, dec_q4_0, acc_signed32)
DEFINE_KERNEL(q5_0, dec32_t, 32, 22, 34, dec_q5_0, acc_signed32, dec32_t, dec_q5_0, acc_signed32)
DEFINE_KERNEL(q8_0, dec32_t, 32, 34, 34, dec_q8_0, acc_signed32, dec32_t, dec_q8_0, acc_signed32)
DEFINE_KERNEL(q4_1, dec32_t, 32, 20, 36, dec_q4_1, acc_offset32, dec32_t, dec_q4_1, acc_offset32)
DEFINE_KERNEL(q5_1, dec32_t, 32, 24, 36, dec_q5_1, acc_offset32, dec32_t, dec_q5_1, acc_offset32)
DEFINE_KERNEL(q2_k, KDEC, 256, 84, 292, KDECODE(dec_q2_k), KACC(acc_kmin), deck_t, dec_q2_k, acc_kmin)
DEFINE_KERNEL(q3_k, KDEC, 256, 110, 292, KDECODE(dec_q3_k), KACC(acc_ksym), deck_t, dec_q3_k, acc_ksym)
DEFINE_KERNEL(q4_k, KDEC, 256, 144, 292, KDECODE(dec_q4_k), KACC(acc_kmin), deck_t, dec_q4_k, acc_kmin)
DEFINE_KERNEL(q5_k, KDEC, 256, 176, 292, KDECODE(dec_q5_k), KACC(acc_kmin), deck_t, dec_q5_k, acc_kmin)
DEFINE_KERNEL(q6_k, KDEC, 256, 210, 292, KDECODE(dec_q6_k), KACC(acc_ksym), deck_t, dec_q6_k, acc_ksym)

#pragma clang attribute pop

minnow_dot_fn MINNOW_PLAIN_LOOKUP(int type) {
    switch (type) {
    case MINNOW_TYPE_Q4_0: return q4_0_kernel;
    case MINNOW_TYPE_Q4_1: return q4_1_kernel;
    case MINNOW_TYPE_Q5_0: return q5_0_kernel;
    case MINNOW_TYPE_Q5_1: return q5_1_kernel;
    case MINNOW_TYPE_Q8_0: return q8_0_kernel;
    case MINNOW_TYPE_Q2_K: return q2_k_kernel;
    case MINNOW_TYPE_Q3_K: return q3_k_kernel;
    case MINNOW_TYPE_Q4_K: return q4_k_kernel;
    case MINNOW_TYPE_Q5_K: return q5_k_kernel;
    case MINNOW_TYPE_Q6_K: return q6_k_kernel;
    default: return 0;
    }
}

#else

minnow_dot_fn MINNOW_PLAIN_LOOKUP(int type) {
    (void)type;
    return 0;
}

#endif
