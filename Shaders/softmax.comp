#version 450
// Row-wise softmax, in place: X[r] = exp(X[r] - max) / sum. One workgroup per row.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 64;

layout(std430, binding = 0) buffer Data { float x[]; };

layout(push_constant) uniform Params {
    uint n;
    uint rows;
    uint offset;
} p;

shared float red[WG];
#include "reduce.glsl"

void main() {
    uint tid = gl_LocalInvocationID.x;
    for (uint r = gl_WorkGroupID.x; r < p.rows; r += gl_NumWorkGroups.x) {
        uint b = p.offset + r * p.n;
        float mx = -3.0e38;
        for (uint i = tid; i < p.n; i += WG) { mx = max(mx, x[b + i]); }
        mx = wg_max(mx);
        float s = 0.0;
        for (uint i = tid; i < p.n; i += WG) { s += exp(x[b + i] - mx); }
        s = wg_sum(s);
        float inv = 1.0 / s;
        for (uint i = tid; i < p.n; i += WG) { x[b + i] = exp(x[b + i] - mx) * inv; }
        barrier();
    }
}
