// Integer-dot-product access to one 32-element chunk of a weight row (the `.integerDot`
// variant): `wload` returns the chunk as 8 words of 4 packed 8-bit integers, element order
// 4i..4i+3 in word i (the order of the activations' Q8_1 blocks), with two scales and a bias so
// that, for activations x ≈ dx·qx with s = dx·Σqx,
//     Σ w·x = dx·(f0·dot(w[0..<4], qx[0..<4]) + f1·dot(w[4..<8], qx[4..<8])) + bias·s.
// W_SIGNED says the words hold signed bytes (OpSDot); otherwise unsigned (OpSUDot, with the
// activations as the signed operand). Types without an entry here (F32, F16) use the
// `matmul_sg_*` shader.
#ifndef MINNOW_QUANT_DOT_GLSL
#define MINNOW_QUANT_DOT_GLSL
#include "quant.glsl"

#extension GL_EXT_spirv_intrinsics : require
// SPV_KHR_integer_dot_product: capabilities DotProductInput4x8BitPacked (6018) and
// DotProduct (6019); OpSDot = 4450, OpSUDot = 4452; the literal 0 is PackedVectorFormat4x8Bit.
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6018, 6019], id = 4450)
int sdot4x8(uint a, uint b, spirv_literal int format);
spirv_instruction(extensions = ["SPV_KHR_integer_dot_product"], capabilities = [6018, 6019], id = 4452)
int sudot4x8(uint signedA, uint unsignedB, spirv_literal int format);

#if defined(TYPE_Q8_0) || defined(TYPE_Q6_K)
#define W_SIGNED
#endif

#if defined(TYPE_Q8_0)
void wload(uint row, uint c, out uint w[8], out float f0, out float f1, out float bias) {
    uint b = row + c * 34u;
    f0 = rd_f16(b); f1 = f0; bias = 0.0;
    for (uint i = 0u; i < 8u; i++) { w[i] = rd_u32(b + 2u + 4u * i); }
}
#elif defined(TYPE_Q4_0) || defined(TYPE_Q4_1)
// Low nibbles are elements 0..15, high nibbles 16..31.
void wload(uint row, uint c, out uint w[8], out float f0, out float f1, out float bias) {
#if defined(TYPE_Q4_0)
    uint b = row + c * 18u;
    uint qs = b + 2u;
    f0 = rd_f16(b); bias = -8.0 * f0;
#else
    uint b = row + c * 20u;
    uint qs = b + 4u;
    f0 = rd_f16(b); bias = rd_f16(b + 2u);
#endif
    f1 = f0;
    for (uint i = 0u; i < 4u; i++) {
        uint u = rd_u32(qs + 4u * i);
        w[i] = u & 0x0F0F0F0Fu;
        w[i + 4u] = (u >> 4) & 0x0F0F0F0Fu;
    }
}
#elif defined(TYPE_Q5_0)
// Four bits of qh, spread to bit 4 of four bytes.
uint spread4(uint n) {
    return ((n & 1u) | ((n & 2u) << 7) | ((n & 4u) << 14) | ((n & 8u) << 21)) << 4;
}
void wload(uint row, uint c, out uint w[8], out float f0, out float f1, out float bias) {
    uint b = row + c * 22u;
    f0 = rd_f16(b); f1 = f0; bias = -16.0 * f0;
    uint qh = rd_u32(b + 2u);
    for (uint i = 0u; i < 4u; i++) {
        uint u = rd_u32(b + 6u + 4u * i);
        w[i] = (u & 0x0F0F0F0Fu) | spread4((qh >> (4u * i)) & 15u);
        w[i + 4u] = ((u >> 4) & 0x0F0F0F0Fu) | spread4((qh >> (16u + 4u * i)) & 15u);
    }
}
#elif defined(TYPE_Q4_K) || defined(TYPE_Q5_K)
// scale_min_k4 and k_block are quant.glsl's.
void wload(uint row, uint c, out uint w[8], out float f0, out float f1, out float bias) {
    uint b, qs, qh, j;
    k_block(row, c, b, qs, qh, j);
    float sc, mn;
    scale_min_k4(b, j, sc, mn);
    f0 = rd_f16(b) * sc; f1 = f0;
    bias = -rd_f16(b + 2u) * mn;
    uint q = qs + (j >> 1) * 32u;
    uint shift = (j & 1u) * 4u;
    for (uint i = 0u; i < 8u; i++) {
        w[i] = (rd_u32(q + 4u * i) >> shift) & 0x0F0F0F0Fu;
#if defined(TYPE_Q5_K)
        w[i] |= ((rd_u32(qh + 4u * i) >> j) & 0x01010101u) << 4;
#endif
    }
}
#elif defined(TYPE_Q6_K)
// The 6-bit values q are made signed bytes q - 32: flipping bit 5 gives q - 32 for q ≥ 32 and
// q + 32 for q < 32, which then needs bits 6 and 7 set (sign extension from bit 5).
void wload(uint row, uint c, out uint w[8], out float f0, out float f1, out float bias) {
    q6_chunk(row, c, w, f0, f1);
    bias = 0.0;
    for (uint i = 0u; i < 8u; i++) {
        uint t = w[i] ^ 0x20202020u;
        w[i] = t | ((t & 0x20202020u) * 6u);
    }
}
#else
#error "no integer-dot entry for this TYPE_*"
#endif

// Σ w·x over one chunk, the activations' Q8_1 block starting at word `xb` of `xq`
// (8 words of int8 values, then the scale dx and s = dx·Σqx as float bits).
float dot_chunk(uint w[8], float f0, float f1, float bias, uint xb) {
    int s0 = 0, s1 = 0;
    for (uint i = 0u; i < 4u; i++) {
#if defined(W_SIGNED)
        s0 += sdot4x8(xq[xb + i], w[i], 0);
        s1 += sdot4x8(xq[xb + 4u + i], w[i + 4u], 0);
#else
        s0 += sudot4x8(xq[xb + i], w[i], 0);
        s1 += sudot4x8(xq[xb + 4u + i], w[i + 4u], 0);
#endif
    }
    return uintBitsToFloat(xq[xb + 8u]) * (f0 * float(s0) + f1 * float(s1)) + bias * uintBitsToFloat(xq[xb + 9u]);
}

#endif
