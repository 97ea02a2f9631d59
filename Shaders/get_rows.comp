#version 450
// Embedding lookup: Y[t][0..<K] = dequantize(W[ids[t]]) for a weight of type TYPE_*.
// One workgroup per token; invocations split the 32-element chunks of the row.
// The weight may be one part of a table split by rows: this buffer holds rows
// firstRow..<firstRow + M, and tokens whose id falls elsewhere are left for another part.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 64;

layout(std430, binding = 0) readonly buffer Weights { uint wq[]; };
layout(std430, binding = 1) readonly buffer Ids { int ids[]; };
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

layout(push_constant) uniform Params {
    uint K;          // row length in elements
    uint M;          // rows in the weight
    uint T;          // tokens
    uint rowBytes;
    uint idOffset;
    uint yOffset;
    uint firstRow;
} p;

#include "quant.glsl"

void main() {
    uint chunks = p.K / 32u;
    for (uint t = gl_WorkGroupID.x; t < p.T; t += gl_NumWorkGroups.x) {
        int id = ids[p.idOffset + t] - int(p.firstRow);
        if (id < 0 || uint(id) >= p.M) { continue; }
        for (uint c = gl_LocalInvocationID.x; c < chunks; c += WG) {
            float v[32];
            dequant32(uint(id) * p.rowBytes, c, v);
            uint yb = p.yOffset + t * p.K + c * 32u;
            for (uint i = 0u; i < 32u; i++) { y[yb + i] = v[i]; }
        }
    }
}
