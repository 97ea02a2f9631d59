#version 450
// Causal multi-head attention with grouped-query heads over a KV cache in device memory.
// Q is [T][qHeads][headDim]; the caches are [sequences × capacity][kvHeads][headDim]; O is
// like Q. Each query has its own sequence and position: rows[rowOffset + t] = (first cache
// row of its sequence, its position p), and it attends to positions 0...p of its sequence.
// One workgroup per (query, head). Scores go to a scratch buffer, one row of `stride`
// floats per workgroup (at least the largest p + 1), so the context length is not bounded
// by shared memory. With an F16 cache the query is rounded to F16 first, as llama.cpp does.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 64;

layout(std430, binding = 0) readonly buffer Query { float q[]; };
layout(std430, binding = 1) readonly buffer KCache { uint kc[]; };
layout(std430, binding = 2) readonly buffer VCache { uint vc[]; };
layout(std430, binding = 3) writeonly buffer Output { float o[]; };
layout(std430, binding = 4) buffer Scratch { float sc[]; };
layout(std430, binding = 5) readonly buffer Rows { uvec2 rows[]; };

layout(push_constant) uniform Params {
    uint tokens;
    uint qHeads;
    uint kvHeads;
    uint headDim;    // at most 256
    uint rowOffset;  // first entry of the rows buffer
    uint stride;     // scratch floats per (query, head)
    uint qOffset;
    uint oOffset;
    float scale;     // usually 1 / sqrt(headDim)
} p;

shared float red[WG];
shared float qs[256];
#include "reduce.glsl"
#include "kv.glsl"

void main() {
    uint tid = gl_LocalInvocationID.x;
    uint group = p.qHeads / p.kvHeads;
    uint width = p.kvHeads * p.headDim;
    uint pairs = p.tokens * p.qHeads;
    for (uint w = gl_WorkGroupID.x; w < pairs; w += gl_NumWorkGroups.x) {
        uint t = w / p.qHeads;
        uint h = w % p.qHeads;
        uint kvh = h / group;
        uint qb = p.qOffset + w * p.headDim;
        for (uint d = tid; d < p.headDim; d += WG) {
#if defined(KV_F16)
            qs[d] = unpackHalf2x16(packHalf2x16(vec2(q[qb + d], 0.0))).x;
#else
            qs[d] = q[qb + d];
#endif
        }
        barrier();
        uvec2 r = rows[p.rowOffset + t];
        uint n = r.y + 1u;
        uint cb = r.x * width;
        uint sb = w * p.stride;
        float mx = -3.0e38;
        for (uint j = tid; j < n; j += WG) {
            uint kb = cb + j * width + kvh * p.headDim;
            float s = 0.0;
            for (uint d = 0u; d < p.headDim; d++) { s += qs[d] * kv_load_k(kb + d); }
            s *= p.scale;
            sc[sb + j] = s;
            mx = max(mx, s);
        }
        mx = wg_max(mx);
        float sum = 0.0;
        for (uint j = tid; j < n; j += WG) {
            float e = exp(sc[sb + j] - mx);
            sc[sb + j] = e;
            sum += e;
        }
        sum = wg_sum(sum);
        memoryBarrierBuffer();
        barrier();
        float inv = 1.0 / sum;
        for (uint d = tid; d < p.headDim; d += WG) {
            float acc = 0.0;
            for (uint j = 0u; j < n; j++) {
                acc += sc[sb + j] * kv_load_v(cb + j * width + kvh * p.headDim + d);
            }
            o[p.oOffset + w * p.headDim + d] = acc * inv;
        }
        barrier();
    }
}
