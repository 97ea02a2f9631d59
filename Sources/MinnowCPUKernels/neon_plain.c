/*
 * The NEON variant (AArch64 Advanced SIMD + the dot-product extension, SDOT) for weights in
 * ggml's own row layout: Q8_0, Q4_0, Q5_0 (Q8_0 activations), Q4_1, Q5_1 (Q8_1 activations) and
 * Q2_K, Q3_K, Q4_K, Q5_K, Q6_K (Q8_K activations).
 *
 * SwiftPM compiles this file without -march flags, so every function that uses SDOT carries
 * target("dotprod") through the pragma below; minnow_neon_plain_kernel itself is outside it.
 * (i8mm's SMMLA is not used: it multiplies 2 weight rows by 2 activation rows, which wants rows
 * interleaved in pairs, i.e. a repacked layout; here one weight row meets 4 activation rows.)
 *
 * Batch invariance: the integer sums of a block are exact, so how they are computed does not
 * matter. The float work is done by one inline "step" function per format that both the
 * single-activation-row path (dot1, which streams weights) and the four-activation-row path
 * (dot4, which decodes each weight block once for four rows) call, in the same block order, with
 * FP contraction off, so each output gets the same float operations in the same order whatever
 * the activation_rows or row range of the call.
 *
 * Written for Minnow from the public description of ggml's block formats.
 */
#include "variants.h"

/* clang only (SwiftPM's compiler): the pragmas below are clang's. */
#if defined(__aarch64__) && defined(__clang__)
#include <arm_neon.h>

/* No fused multiply-adds but the explicit vfmaq ones: both paths must round alike. */
#pragma clang fp contract(off)
#pragma clang attribute push(__attribute__((target("dotprod"))), apply_to = function)

typedef const uint8_t *bptr;

/* IEEE half at p (any alignment) to float: exact. */
static inline float mn_half(bptr p) {
    uint16_t u;
    __builtin_memcpy(&u, p, 2);
    __fp16 h;
    __builtin_memcpy(&h, &u, 2);
    return (float)h;
}

static inline float mn_f32(bptr p) {
    float f;
    __builtin_memcpy(&f, p, 4);
    return f;
}

static inline int8x16_t mn_s8(uint8x16_t v) { return vreinterpretq_s8_u8(v); }

/* ------------------------------------------------------------------------------------------ */
/* Blocks of 32: one decoded weight block is two int8x16 vectors (elements 0..15, 16..31).     */

typedef struct {
    int8x16_t lo, hi;
    float d, m;
} mn_w32;

static inline mn_w32 mn_dec_q8_0(bptr wb) {
    mn_w32 w;
    w.d = mn_half(wb);
    w.m = 0;
    w.lo = vld1q_s8((const int8_t *)(wb + 2));
    w.hi = vld1q_s8((const int8_t *)(wb + 18));
    return w;
}

static inline mn_w32 mn_dec_q4_0(bptr wb) {
    mn_w32 w;
    uint8x16_t q = vld1q_u8(wb + 2);
    int8x16_t eight = vdupq_n_s8(8);
    w.d = mn_half(wb);
    w.m = 0;
    w.lo = vsubq_s8(mn_s8(vandq_u8(q, vdupq_n_u8(0x0f))), eight);
    w.hi = vsubq_s8(mn_s8(vshrq_n_u8(q, 4)), eight);
    return w;
}

static inline mn_w32 mn_dec_q4_1(bptr wb) {
    mn_w32 w;
    uint8x16_t q = vld1q_u8(wb + 4);
    w.d = mn_half(wb);
    w.m = mn_half(wb + 2);
    w.lo = mn_s8(vandq_u8(q, vdupq_n_u8(0x0f)));
    w.hi = mn_s8(vshrq_n_u8(q, 4));
    return w;
}

/* The 32 fifth bits of a Q5 block (little-endian uint32 at p) as bytes 0x10 / 0x00. */
static inline void mn_fifth_bits(bptr p, uint8x16_t *lo, uint8x16_t *hi) {
    uint32_t qh;
    __builtin_memcpy(&qh, p, 4);
    static const uint8_t idx_lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1};
    static const uint8_t idx_hi[16] = {2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3};
    static const uint8_t bit[16] = {1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128};
    uint8x16_t bytes = vreinterpretq_u8_u32(vdupq_n_u32(qh));
    uint8x16_t mask = vld1q_u8(bit), sixteen = vdupq_n_u8(0x10);
    *lo = vandq_u8(vtstq_u8(vqtbl1q_u8(bytes, vld1q_u8(idx_lo)), mask), sixteen);
    *hi = vandq_u8(vtstq_u8(vqtbl1q_u8(bytes, vld1q_u8(idx_hi)), mask), sixteen);
}

static inline mn_w32 mn_dec_q5_0(bptr wb) {
    mn_w32 w;
    uint8x16_t hl, hh;
    mn_fifth_bits(wb + 2, &hl, &hh);
    uint8x16_t q = vld1q_u8(wb + 6);
    int8x16_t sixteen = vdupq_n_s8(16);
    w.d = mn_half(wb);
    w.m = 0;
    w.lo = vsubq_s8(mn_s8(vorrq_u8(vandq_u8(q, vdupq_n_u8(0x0f)), hl)), sixteen);
    w.hi = vsubq_s8(mn_s8(vorrq_u8(vshrq_n_u8(q, 4), hh)), sixteen);
    return w;
}

static inline mn_w32 mn_dec_q5_1(bptr wb) {
    mn_w32 w;
    uint8x16_t hl, hh;
    mn_fifth_bits(wb + 4, &hl, &hh);
    uint8x16_t q = vld1q_u8(wb + 8);
    w.d = mn_half(wb);
    w.m = mn_half(wb + 2);
    w.lo = mn_s8(vorrq_u8(vandq_u8(q, vdupq_n_u8(0x0f)), hl));
    w.hi = mn_s8(vorrq_u8(vshrq_n_u8(q, 4), hh));
    return w;
}

/* The float step of one block of 32 against one activation block whose quants start at
 * ab + aq: acc += float(Σ q·x lanes) · (d_w · d_x), fused. The only float work of the block
 * besides the Q8_1 offset term. */
static inline float32x4_t mn_step32(float32x4_t acc, mn_w32 w, bptr ab, int aq) {
    int32x4_t s = vdotq_s32(vdupq_n_s32(0), w.lo, vld1q_s8((const int8_t *)(ab + aq)));
    s = vdotq_s32(s, w.hi, vld1q_s8((const int8_t *)(ab + aq + 16)));
    return vfmaq_n_f32(acc, vcvtq_f32_s32(s), w.d * mn_half(ab));
}

/* Q8_1 offset term m_w · s_x, accumulated in block order (a separate multiply and add). */
static inline float mn_offset(float off, mn_w32 w, bptr ab) {
    float t = w.m * mn_half(ab + 2);
    return off + t;
}

/*
 * dot1: blocks alternate between two vector accumulators (even blocks → v0, odd → v1), the
 * offsets (Q8_1 formats) add up in block order, and the result is
 * vaddvq(v0 + v1) + offsets. dot4 does exactly that per activation row.
 */
#define MN_BLOCK32(NAME, WBYTES, ABYTES, AQ, DECODE, OFFSETS)                                        \
    static float NAME##_dot1(bptr w, bptr a, int64_t blocks) {                                       \
        float32x4_t v0 = vdupq_n_f32(0), v1 = vdupq_n_f32(0);                                        \
        float off = 0;                                                                               \
        int64_t b = 0;                                                                               \
        for (; b + 2 <= blocks; b += 2) {                                                            \
            mn_w32 x = DECODE(w + (WBYTES) * b), y = DECODE(w + (WBYTES) * (b + 1));                 \
            bptr ax = a + (ABYTES) * b, ay = ax + (ABYTES);                                          \
            v0 = mn_step32(v0, x, ax, AQ);                                                           \
            v1 = mn_step32(v1, y, ay, AQ);                                                           \
            if (OFFSETS) { off = mn_offset(off, x, ax); off = mn_offset(off, y, ay); }               \
        }                                                                                            \
        if (b < blocks) {                                                                            \
            mn_w32 x = DECODE(w + (WBYTES) * b);                                                     \
            bptr ax = a + (ABYTES) * b;                                                              \
            v0 = mn_step32(v0, x, ax, AQ);                                                           \
            if (OFFSETS) off = mn_offset(off, x, ax);                                                \
        }                                                                                            \
        float r = vaddvq_f32(vaddq_f32(v0, v1));                                                     \
        return OFFSETS ? r + off : r;                                                                \
    }                                                                                                \
    static void NAME##_dot4(bptr w, bptr a, int64_t stride, int64_t blocks, float r[4]) {           \
        float32x4_t v0[4], v1[4];                                                                    \
        float off[4];                                                                                \
        for (int i = 0; i < 4; i++) { v0[i] = vdupq_n_f32(0); v1[i] = vdupq_n_f32(0); off[i] = 0; } \
        int64_t b = 0;                                                                               \
        for (; b + 2 <= blocks; b += 2) {                                                            \
            mn_w32 x = DECODE(w + (WBYTES) * b), y = DECODE(w + (WBYTES) * (b + 1));                 \
            for (int i = 0; i < 4; i++) {                                                            \
                bptr ax = a + i * stride + (ABYTES) * b, ay = ax + (ABYTES);                         \
                v0[i] = mn_step32(v0[i], x, ax, AQ);                                                 \
                v1[i] = mn_step32(v1[i], y, ay, AQ);                                                 \
                if (OFFSETS) { off[i] = mn_offset(off[i], x, ax); off[i] = mn_offset(off[i], y, ay); } \
            }                                                                                        \
        }                                                                                            \
        if (b < blocks) {                                                                            \
            mn_w32 x = DECODE(w + (WBYTES) * b);                                                     \
            for (int i = 0; i < 4; i++) {                                                            \
                bptr ax = a + i * stride + (ABYTES) * b;                                             \
                v0[i] = mn_step32(v0[i], x, ax, AQ);                                                 \
                if (OFFSETS) off[i] = mn_offset(off[i], x, ax);                                      \
            }                                                                                        \
        }                                                                                            \
        for (int i = 0; i < 4; i++) {                                                                \
            float s = vaddvq_f32(vaddq_f32(v0[i], v1[i]));                                           \
            r[i] = OFFSETS ? s + off[i] : s;                                                         \
        }                                                                                            \
    }

MN_BLOCK32(mn_q8_0, 34, 34, 2, mn_dec_q8_0, 0)
MN_BLOCK32(mn_q4_0, 18, 34, 2, mn_dec_q4_0, 0)
MN_BLOCK32(mn_q5_0, 22, 34, 2, mn_dec_q5_0, 0)
MN_BLOCK32(mn_q4_1, 20, 36, 4, mn_dec_q4_1, 1)
MN_BLOCK32(mn_q5_1, 24, 36, 4, mn_dec_q5_1, 1)

/* ------------------------------------------------------------------------------------------ */
/* K-quants (super-blocks of 256) against Q8_K: float d at 0, int8 qs[256] at 4, int16        */
/* bsums[16] at 260. Per block the integer sums isum (Σ scale · Σ q·x) and, for the formats   */
/* with minimums, mterm (Σ min · Σ x) are exact; the float step is shared.                    */

#define MN_QK 292

typedef struct {
    float acc, mins;
} mn_kacc;

/* acc += float(isum) · (d_w · d_x); mins += (dmin_w · d_x) · float(mterm). */
static inline void mn_kstep(mn_kacc *k, int32_t isum, int32_t mterm, float d, float dmin, float dx) {
    float a = (float)isum * (d * dx);
    k->acc = k->acc + a;
    float m = (dmin * dx) * (float)mterm;
    k->mins = k->mins + m;
}

static inline float mn_kresult(mn_kacc k) { return k.acc - k.mins; }

static inline const int8_t *mn_xq(bptr ab, int off) { return (const int8_t *)(ab + 4 + off); }

/* Σ_k mins[k] · (bsums[2k] + bsums[2k+1]) for 8 minimums of sub-blocks of 32. */
static inline int32_t mn_minterm8(uint8x8_t mins, bptr ab) {
    int16x8_t s = vpaddq_s16(vld1q_s16((const int16_t *)(ab + 260)), vld1q_s16((const int16_t *)(ab + 276)));
    int16x8_t m = vreinterpretq_s16_u16(vmovl_u8(mins));
    int32x4_t p = vmull_s16(vget_low_s16(s), vget_low_s16(m));
    p = vmlal_s16(p, vget_high_s16(s), vget_high_s16(m));
    return vaddvq_s32(p);
}

/* Σ_k mins[k] · bsums[k] for 16 minimums of sub-blocks of 16. */
static inline int32_t mn_minterm16(uint8x16_t mins, bptr ab) {
    int16x8_t s0 = vld1q_s16((const int16_t *)(ab + 260)), s1 = vld1q_s16((const int16_t *)(ab + 276));
    int16x8_t m0 = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(mins)));
    int16x8_t m1 = vreinterpretq_s16_u16(vmovl_u8(vget_high_u8(mins)));
    int32x4_t p = vmull_s16(vget_low_s16(s0), vget_low_s16(m0));
    p = vmlal_s16(p, vget_high_s16(s0), vget_high_s16(m0));
    p = vmlal_s16(p, vget_low_s16(s1), vget_low_s16(m1));
    p = vmlal_s16(p, vget_high_s16(s1), vget_high_s16(m1));
    return vaddvq_s32(p);
}

/* Q4_K / Q5_K 6-bit scales and minimums (12 bytes at wb + 4), one byte each. */
static inline void mn_scales_mins(bptr wb, uint8_t sc[8], uint8x8_t *mins) {
    uint32_t s0, s1, s2;
    __builtin_memcpy(&s0, wb + 4, 4);
    __builtin_memcpy(&s1, wb + 8, 4);
    __builtin_memcpy(&s2, wb + 12, 4);
    const uint32_t low6 = 0x3f3f3f3fu, low4 = 0x0f0f0f0fu, low2 = 0x03030303u;
    uint32_t scLow = s0 & low6, mnLow = s1 & low6;
    uint32_t scHigh = (s2 & low4) | (((s0 >> 6) & low2) << 4);
    uint32_t mnHigh = ((s2 >> 4) & low4) | (((s1 >> 6) & low2) << 4);
    uint64_t scales = (uint64_t)scLow | ((uint64_t)scHigh << 32);
    uint64_t mn = (uint64_t)mnLow | ((uint64_t)mnHigh << 32);
    __builtin_memcpy(sc, &scales, 8);
    *mins = vcreate_u8(mn);
}

/* Decoded super-block of 256: 16 int8x16 vectors in element order plus a scale per 16 or 32. */
typedef struct {
    int8x16_t q[16];
    int32_t sc[16]; /* per 16 elements (sub-blocks of 32 repeat their scale) */
    float d, dmin;
    uint8x8_t mins8;   /* Q4_K, Q5_K */
    uint8x16_t mins16; /* Q2_K */
} mn_wk;

/* Σ_k sc_k · Σ q·x over the 16 groups of 16 elements. */
static inline int32_t mn_kdot(const mn_wk *w, bptr ab) {
    int32x4_t acc = vdupq_n_s32(0);
    for (int g = 0; g < 16; g += 2) {
        int32x4_t p0 = vdotq_s32(vdupq_n_s32(0), w->q[g], vld1q_s8(mn_xq(ab, 16 * g)));
        int32x4_t p1 = vdotq_s32(vdupq_n_s32(0), w->q[g + 1], vld1q_s8(mn_xq(ab, 16 * g + 16)));
        acc = vmlaq_n_s32(acc, p0, w->sc[g]);
        acc = vmlaq_n_s32(acc, p1, w->sc[g + 1]);
    }
    return vaddvq_s32(acc);
}

/* Same for formats whose scales cover 32 elements (Q4_K, Q5_K): one SDOT chain per 32. */
static inline int32_t mn_kdot32(const mn_wk *w, bptr ab) {
    int32x4_t acc = vdupq_n_s32(0);
    for (int g = 0; g < 16; g += 2) {
        int32x4_t p = vdotq_s32(vdupq_n_s32(0), w->q[g], vld1q_s8(mn_xq(ab, 16 * g)));
        p = vdotq_s32(p, w->q[g + 1], vld1q_s8(mn_xq(ab, 16 * g + 16)));
        acc = vmlaq_n_s32(acc, p, w->sc[g]);
    }
    return vaddvq_s32(acc);
}

static inline void mn_dec_q4_k(bptr wb, mn_wk *w) {
    uint8_t sc[8];
    mn_scales_mins(wb, sc, &w->mins8);
    w->d = mn_half(wb);
    w->dmin = mn_half(wb + 2);
    uint8x16_t low4 = vdupq_n_u8(0x0f);
    for (int j = 0; j < 4; j++) {
        uint8x16_t a = vld1q_u8(wb + 16 + 32 * j), b = vld1q_u8(wb + 32 + 32 * j);
        w->q[4 * j + 0] = mn_s8(vandq_u8(a, low4));
        w->q[4 * j + 1] = mn_s8(vandq_u8(b, low4));
        w->q[4 * j + 2] = mn_s8(vshrq_n_u8(a, 4));
        w->q[4 * j + 3] = mn_s8(vshrq_n_u8(b, 4));
        w->sc[4 * j + 0] = w->sc[4 * j + 1] = sc[2 * j];
        w->sc[4 * j + 2] = w->sc[4 * j + 3] = sc[2 * j + 1];
    }
}

static inline void mn_dec_q5_k(bptr wb, mn_wk *w) {
    uint8_t sc[8];
    mn_scales_mins(wb, sc, &w->mins8);
    w->d = mn_half(wb);
    w->dmin = mn_half(wb + 2);
    uint8x16_t low4 = vdupq_n_u8(0x0f), one = vdupq_n_u8(1), two = vdupq_n_u8(2);
    uint8x16_t h0 = vld1q_u8(wb + 16), h1 = vld1q_u8(wb + 32);
    for (int j = 0; j < 4; j++) {
        uint8x16_t a = vld1q_u8(wb + 48 + 32 * j), b = vld1q_u8(wb + 64 + 32 * j);
        w->q[4 * j + 0] = mn_s8(vorrq_u8(vandq_u8(a, low4), vshlq_n_u8(vandq_u8(h0, one), 4)));
        w->q[4 * j + 1] = mn_s8(vorrq_u8(vandq_u8(b, low4), vshlq_n_u8(vandq_u8(h1, one), 4)));
        w->q[4 * j + 2] = mn_s8(vorrq_u8(vshrq_n_u8(a, 4), vshlq_n_u8(vandq_u8(h0, two), 3)));
        w->q[4 * j + 3] = mn_s8(vorrq_u8(vshrq_n_u8(b, 4), vshlq_n_u8(vandq_u8(h1, two), 3)));
        h0 = vshrq_n_u8(h0, 2);
        h1 = vshrq_n_u8(h1, 2);
        w->sc[4 * j + 0] = w->sc[4 * j + 1] = sc[2 * j];
        w->sc[4 * j + 2] = w->sc[4 * j + 3] = sc[2 * j + 1];
    }
}

static inline void mn_dec_q6_k(bptr wb, mn_wk *w) {
    w->d = mn_half(wb + 208);
    w->dmin = 0;
    uint8x16_t low4 = vdupq_n_u8(0x0f), low2 = vdupq_n_u8(0x03);
    int8x16_t off = vdupq_n_s8(32);
    for (int h = 0; h < 2; h++) {
        uint8x16_t l0 = vld1q_u8(wb + 64 * h), l1 = vld1q_u8(wb + 64 * h + 16);
        uint8x16_t l2 = vld1q_u8(wb + 64 * h + 32), l3 = vld1q_u8(wb + 64 * h + 48);
        uint8x16_t h0 = vld1q_u8(wb + 128 + 32 * h), h1 = vld1q_u8(wb + 144 + 32 * h);
        int8x16_t *q = w->q + 8 * h;
        q[0] = vsubq_s8(mn_s8(vorrq_u8(vandq_u8(l0, low4), vshlq_n_u8(vandq_u8(h0, low2), 4))), off);
        q[1] = vsubq_s8(mn_s8(vorrq_u8(vandq_u8(l1, low4), vshlq_n_u8(vandq_u8(h1, low2), 4))), off);
        q[2] = vsubq_s8(mn_s8(vorrq_u8(vandq_u8(l2, low4), vshlq_n_u8(vandq_u8(vshrq_n_u8(h0, 2), low2), 4))), off);
        q[3] = vsubq_s8(mn_s8(vorrq_u8(vandq_u8(l3, low4), vshlq_n_u8(vandq_u8(vshrq_n_u8(h1, 2), low2), 4))), off);
        q[4] = vsubq_s8(mn_s8(vorrq_u8(vshrq_n_u8(l0, 4), vshlq_n_u8(vandq_u8(vshrq_n_u8(h0, 4), low2), 4))), off);
        q[5] = vsubq_s8(mn_s8(vorrq_u8(vshrq_n_u8(l1, 4), vshlq_n_u8(vandq_u8(vshrq_n_u8(h1, 4), low2), 4))), off);
        q[6] = vsubq_s8(mn_s8(vorrq_u8(vshrq_n_u8(l2, 4), vshlq_n_u8(vshrq_n_u8(h0, 6), 4))), off);
        q[7] = vsubq_s8(mn_s8(vorrq_u8(vshrq_n_u8(l3, 4), vshlq_n_u8(vshrq_n_u8(h1, 6), 4))), off);
    }
    for (int k = 0; k < 16; k++) w->sc[k] = (int8_t)wb[192 + k];
}

static inline void mn_dec_q2_k(bptr wb, mn_wk *w) {
    w->d = mn_half(wb + 80);
    w->dmin = mn_half(wb + 82);
    uint8x16_t s = vld1q_u8(wb);
    w->mins16 = vshrq_n_u8(s, 4);
    uint8x16_t three = vdupq_n_u8(3);
    for (int h = 0; h < 2; h++) {
        uint8x16_t q0 = vld1q_u8(wb + 16 + 32 * h), q1 = vld1q_u8(wb + 32 + 32 * h);
        int8x16_t *q = w->q + 8 * h;
        q[0] = mn_s8(vandq_u8(q0, three));
        q[1] = mn_s8(vandq_u8(q1, three));
        q[2] = mn_s8(vandq_u8(vshrq_n_u8(q0, 2), three));
        q[3] = mn_s8(vandq_u8(vshrq_n_u8(q1, 2), three));
        q[4] = mn_s8(vandq_u8(vshrq_n_u8(q0, 4), three));
        q[5] = mn_s8(vandq_u8(vshrq_n_u8(q1, 4), three));
        q[6] = mn_s8(vshrq_n_u8(q0, 6));
        q[7] = mn_s8(vshrq_n_u8(q1, 6));
    }
    for (int k = 0; k < 16; k++) w->sc[k] = wb[k] & 0x0f;
}

static inline void mn_dec_q3_k(bptr wb, mn_wk *w) {
    w->d = mn_half(wb + 108);
    w->dmin = 0;
    uint8x16_t m0 = vld1q_u8(wb), m1 = vld1q_u8(wb + 16);
    uint8x16_t three = vdupq_n_u8(3), four = vdupq_n_u8(4);
    for (int h = 0; h < 2; h++) {
        uint8x16_t q0 = vld1q_u8(wb + 32 + 32 * h), q1 = vld1q_u8(wb + 48 + 32 * h);
        for (int j = 0; j < 4; j++) {
            uint8x16_t bit = vdupq_n_u8((uint8_t)(1u << (4 * h + j)));
            /* low 2 bits, minus 4 where the high bit is clear */
            uint8x16_t a = vandq_u8(vshlq_u8(q0, vdupq_n_s8((int8_t)(-2 * j))), three);
            uint8x16_t b = vandq_u8(vshlq_u8(q1, vdupq_n_s8((int8_t)(-2 * j))), three);
            w->q[8 * h + 2 * j] = vsubq_s8(mn_s8(a), mn_s8(vbicq_u8(four, vtstq_u8(m0, bit))));
            w->q[8 * h + 2 * j + 1] = vsubq_s8(mn_s8(b), mn_s8(vbicq_u8(four, vtstq_u8(m1, bit))));
        }
    }
    bptr t = wb + 96;
    for (int k = 0; k < 16; k++) {
        int low = (t[k & 7] >> (4 * (k >> 3))) & 0x0f;
        int high = (t[8 + (k & 3)] >> (2 * (k >> 2))) & 0x03;
        w->sc[k] = (low | (high << 4)) - 32;
    }
}

/* dot1 / dot4 for a K-quant: decode a super-block once, then the exact integer sums and the
 * shared float step per activation row, blocks in order. */
#define MN_KQUANT(NAME, WBYTES, DECODE, KDOT, MINTERM)                                        \
    static float NAME##_dot1(bptr w, bptr a, int64_t blocks) {                                \
        mn_kacc k = {0, 0};                                                                   \
        for (int64_t b = 0; b < blocks; b++) {                                                \
            mn_wk d;                                                                          \
            DECODE(w + (WBYTES) * b, &d);                                                     \
            bptr ab = a + MN_QK * b;                                                          \
            mn_kstep(&k, KDOT(&d, ab), MINTERM(&d, ab), d.d, d.dmin, mn_f32(ab));             \
        }                                                                                     \
        return mn_kresult(k);                                                                 \
    }                                                                                         \
    static void NAME##_dot4(bptr w, bptr a, int64_t stride, int64_t blocks, float r[4]) {    \
        mn_kacc k[4] = {{0, 0}, {0, 0}, {0, 0}, {0, 0}};                                      \
        for (int64_t b = 0; b < blocks; b++) {                                                \
            mn_wk d;                                                                          \
            DECODE(w + (WBYTES) * b, &d);                                                     \
            for (int i = 0; i < 4; i++) {                                                     \
                bptr ab = a + i * stride + MN_QK * b;                                         \
                mn_kstep(&k[i], KDOT(&d, ab), MINTERM(&d, ab), d.d, d.dmin, mn_f32(ab));      \
            }                                                                                 \
        }                                                                                     \
        for (int i = 0; i < 4; i++) r[i] = mn_kresult(k[i]);                                  \
    }

#define MN_NO_MINS(w, ab) 0
#define MN_MINS8(w, ab) mn_minterm8((w)->mins8, (ab))
#define MN_MINS16(w, ab) mn_minterm16((w)->mins16, (ab))

MN_KQUANT(mn_q4_k, 144, mn_dec_q4_k, mn_kdot32, MN_MINS8)
MN_KQUANT(mn_q5_k, 176, mn_dec_q5_k, mn_kdot32, MN_MINS8)
MN_KQUANT(mn_q6_k, 210, mn_dec_q6_k, mn_kdot, MN_NO_MINS)
MN_KQUANT(mn_q2_k, 84, mn_dec_q2_k, mn_kdot, MN_MINS16)
MN_KQUANT(mn_q3_k, 110, mn_dec_q3_k, mn_kdot, MN_NO_MINS)

/* ------------------------------------------------------------------------------------------ */
/* The driver: one activation row streams the weights; several go four at a time over tiles   */
/* of 16 weight rows (kept in cache while the activations pass), the rest one at a time.      */

#define MN_ROW_TILE 16

#define MN_KERNEL(NAME, BLOCK)                                                                 \
    static void NAME##_kernel(const minnow_dot_problem *p) {                                   \
        const int64_t blocks = p->count / (BLOCK);                                             \
        bptr W = (bptr)p->weights, A = (bptr)p->activations;                                   \
        const int64_t rs = p->row_stride, as = p->activation_stride, os = p->output_stride;    \
        float *out = p->out;                                                                   \
        if (p->activation_rows == 1) {                                                         \
            for (int64_t r = 0; r < p->rows; r++) out[r] = NAME##_dot1(W + r * rs, A, blocks); \
            return;                                                                            \
        }                                                                                      \
        for (int64_t r0 = 0; r0 < p->rows; r0 += MN_ROW_TILE) {                                \
            int64_t r1 = r0 + MN_ROW_TILE < p->rows ? r0 + MN_ROW_TILE : p->rows;              \
            int64_t a = 0;                                                                     \
            for (; a + 4 <= p->activation_rows; a += 4) {                                      \
                bptr act = A + a * as;                                                         \
                for (int64_t r = r0; r < r1; r++) {                                            \
                    float v[4];                                                                \
                    NAME##_dot4(W + r * rs, act, as, blocks, v);                               \
                    out[a * os + r] = v[0];                                                    \
                    out[(a + 1) * os + r] = v[1];                                              \
                    out[(a + 2) * os + r] = v[2];                                              \
                    out[(a + 3) * os + r] = v[3];                                              \
                }                                                                              \
            }                                                                                  \
            for (; a < p->activation_rows; a++) {                                              \
                bptr act = A + a * as;                                                         \
                for (int64_t r = r0; r < r1; r++) out[a * os + r] = NAME##_dot1(W + r * rs, act, blocks); \
            }                                                                                  \
        }                                                                                      \
    }

MN_KERNEL(mn_q8_0, 32)
MN_KERNEL(mn_q4_0, 32)
MN_KERNEL(mn_q5_0, 32)
MN_KERNEL(mn_q4_1, 32)
MN_KERNEL(mn_q5_1, 32)
MN_KERNEL(mn_q2_k, 256)
MN_KERNEL(mn_q3_k, 256)
MN_KERNEL(mn_q4_k, 256)
MN_KERNEL(mn_q5_k, 256)
MN_KERNEL(mn_q6_k, 256)

#pragma clang attribute pop

minnow_dot_fn minnow_neon_plain_kernel(int type) {
    switch (type) {
    case MINNOW_TYPE_Q8_0: return mn_q8_0_kernel;
    case MINNOW_TYPE_Q4_0: return mn_q4_0_kernel;
    case MINNOW_TYPE_Q5_0: return mn_q5_0_kernel;
    case MINNOW_TYPE_Q4_1: return mn_q4_1_kernel;
    case MINNOW_TYPE_Q5_1: return mn_q5_1_kernel;
    case MINNOW_TYPE_Q2_K: return mn_q2_k_kernel;
    case MINNOW_TYPE_Q3_K: return mn_q3_k_kernel;
    case MINNOW_TYPE_Q4_K: return mn_q4_k_kernel;
    case MINNOW_TYPE_Q5_K: return mn_q5_k_kernel;
    case MINNOW_TYPE_Q6_K: return mn_q6_k_kernel;
    default: return 0;
    }
}

#else

minnow_dot_fn minnow_neon_plain_kernel(int type) {
    (void)type;
    return 0;
}

#endif
