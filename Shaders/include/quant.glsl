// Dequantization of one 32-element chunk of a weight row, for the type selected by a
// TYPE_* define. `row` is the byte offset of the row, `c` the chunk index inside the row.
// Every supported type stores a row as whole blocks of 32 or 256 elements, so a chunk never
// straddles two blocks.
#ifndef MINNOW_QUANT_GLSL
#define MINNOW_QUANT_GLSL
#include "bytes.glsl"

#if defined(TYPE_F32)
void dequant32(uint row, uint c, out float v[32]) {
    uint b = row + c * 128u;
    for (uint i = 0u; i < 32u; i++) { v[i] = uintBitsToFloat(wq[(b >> 2) + i]); }
}
#elif defined(TYPE_F16)
void dequant32(uint row, uint c, out float v[32]) {
    uint b = row + c * 64u;
    for (uint i = 0u; i < 16u; i++) {
        vec2 h = unpackHalf2x16(rd_u32(b + 4u * i));
        v[2u * i] = h.x; v[2u * i + 1u] = h.y;
    }
}
#elif defined(TYPE_Q8_0)
// 34 bytes: f16 d, int8 q[32].
void dequant32(uint row, uint c, out float v[32]) {
    uint b = row + c * 34u;
    float d = rd_f16(b);
    for (uint i = 0u; i < 8u; i++) {
        uint u = rd_u32(b + 2u + 4u * i);
        v[4u * i] = d * float(int(u << 24) >> 24);
        v[4u * i + 1u] = d * float(int(u << 16) >> 24);
        v[4u * i + 2u] = d * float(int(u << 8) >> 24);
        v[4u * i + 3u] = d * float(int(u) >> 24);
    }
}
#elif defined(TYPE_Q4_0)
// 18 bytes: f16 d, 16 bytes of nibbles; low nibbles are elements 0..15, high 16..31.
void dequant32(uint row, uint c, out float v[32]) {
    uint b = row + c * 18u;
    float d = rd_f16(b);
    for (uint i = 0u; i < 4u; i++) {
        uint w = rd_u32(b + 2u + 4u * i);
        for (uint k = 0u; k < 4u; k++) {
            uint q = (w >> (8u * k)) & 0xFFu;
            v[4u * i + k] = d * (float(q & 15u) - 8.0);
            v[4u * i + k + 16u] = d * (float(q >> 4) - 8.0);
        }
    }
}
#elif defined(TYPE_Q4_1)
// 20 bytes: f16 d, f16 m, 16 bytes of nibbles.
void dequant32(uint row, uint c, out float v[32]) {
    uint b = row + c * 20u;
    float d = rd_f16(b);
    float m = rd_f16(b + 2u);
    for (uint i = 0u; i < 4u; i++) {
        uint w = rd_u32(b + 4u + 4u * i);
        for (uint k = 0u; k < 4u; k++) {
            uint q = (w >> (8u * k)) & 0xFFu;
            v[4u * i + k] = d * float(q & 15u) + m;
            v[4u * i + k + 16u] = d * float(q >> 4) + m;
        }
    }
}
#elif defined(TYPE_Q5_0)
// 22 bytes: f16 d, 32 high bits, 16 bytes of nibbles.
void dequant32(uint row, uint c, out float v[32]) {
    uint b = row + c * 22u;
    float d = rd_f16(b);
    uint qh = rd_u32(b + 2u);
    for (uint j = 0u; j < 4u; j++) {
        uint w = rd_u32(b + 6u + 4u * j);
        for (uint k = 0u; k < 4u; k++) {
            uint i = 4u * j + k;
            uint q = (w >> (8u * k)) & 0xFFu;
            uint lo = (q & 15u) | (((qh >> i) & 1u) << 4);
            uint hi = (q >> 4) | (((qh >> (i + 16u)) & 1u) << 4);
            v[i] = d * (float(lo) - 16.0);
            v[i + 16u] = d * (float(hi) - 16.0);
        }
    }
}
#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// Q4_K, 144 bytes: f16 d, f16 dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles.
// Q5_K, 176 bytes: the same, with 32 bytes of fifth bits before the nibbles.
void scale_min_k4(uint b, uint j, out float sc, out float mn) {
    uint s = b + 4u;
    if (j < 4u) {
        sc = float(rd_u8(s + j) & 63u);
        mn = float(rd_u8(s + j + 4u) & 63u);
    } else {
        sc = float((rd_u8(s + j + 4u) & 15u) | ((rd_u8(s + j - 4u) >> 6) << 4));
        mn = float((rd_u8(s + j + 4u) >> 4) | ((rd_u8(s + j) >> 6) << 4));
    }
}
// Chunk c's block offset b, its nibbles qs, its fifth bits qh (Q5_K) and sub-block j.
void k_block(uint row, uint c, out uint b, out uint qs, out uint qh, out uint j) {
#if defined(TYPE_Q4_K)
    b = row + (c >> 3) * 144u;
    qh = 0u;
    qs = b + 16u;
#else
    b = row + (c >> 3) * 176u;
    qh = b + 16u;
    qs = b + 48u;
#endif
    j = c & 7u;
}
void dequant32(uint row, uint c, out float v[32]) {
    uint b, qs, qh, j;
    k_block(row, c, b, qs, qh, j);
    float d = rd_f16(b);
    float dmin = rd_f16(b + 2u);
    float sc, mn;
    scale_min_k4(b, j, sc, mn);
    float ds = d * sc;
    float dm = dmin * mn;
    uint q = qs + (j >> 1) * 32u;
    uint shift = (j & 1u) * 4u;
    for (uint i = 0u; i < 8u; i++) {
        uint w = (rd_u32(q + 4u * i) >> shift) & 0x0F0F0F0Fu;
#if defined(TYPE_Q5_K)
        w |= ((rd_u32(qh + 4u * i) >> j) & 0x01010101u) << 4;
#endif
        for (uint k = 0u; k < 4u; k++) {
            v[4u * i + k] = ds * float((w >> (8u * k)) & 0xFFu) - dm;
        }
    }
}
#elif defined(TYPE_Q6_K)
// 210 bytes: 128 bytes of low nibbles, 64 of high 2-bit pairs, 16 int8 scales, f16 d.
// Chunk c as 8 words of four 6-bit values (elements 4i..4i+3 in word i) and the scales of its
// two 16-element halves.
void q6_chunk(uint row, uint c, out uint w[8], out float s0, out float s1) {
    uint b = row + (c >> 3) * 210u;
    uint j = c & 7u;
    uint n = j >> 2;
    uint k = j & 3u;
    float d = rd_f16(b + 208u);
    uint ql = b + 64u * n + (k & 1u) * 32u;
    uint lshift = (k >> 1) * 4u;
    uint qh = b + 128u + 32u * n;
    uint hshift = 2u * k;
    s0 = d * float(rd_i8(b + 192u + 8u * n + 2u * k));
    s1 = d * float(rd_i8(b + 192u + 8u * n + 2u * k + 1u));
    for (uint i = 0u; i < 8u; i++) {
        w[i] = ((rd_u32(ql + 4u * i) >> lshift) & 0x0F0F0F0Fu) | (((rd_u32(qh + 4u * i) >> hshift) & 0x03030303u) << 4);
    }
}
void dequant32(uint row, uint c, out float v[32]) {
    uint w[8];
    float s0, s1;
    q6_chunk(row, c, w, s0, s1);
    for (uint i = 0u; i < 8u; i++) {
        float sc = i < 4u ? s0 : s1;
        for (uint k = 0u; k < 4u; k++) {
            v[4u * i + k] = sc * (float((w[i] >> (8u * k)) & 0xFFu) - 32.0);
        }
    }
}
#else
#error "define one TYPE_*"
#endif

#endif
