#version 450
// RMSNorm over rows: Y[r][i] = X[r][i] / sqrt(mean(X[r]^2) + eps) * W[i].
// One workgroup per row. Works in place (Y may alias X).

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 64;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float w[]; };
layout(std430, binding = 2) buffer Output { float y[]; };

layout(push_constant) uniform Params {
    uint n;          // row length
    uint rows;
    uint xOffset;
    uint yOffset;
    float eps;
} p;

shared float red[WG];
#include "reduce.glsl"

void main() {
    uint tid = gl_LocalInvocationID.x;
    for (uint r = gl_WorkGroupID.x; r < p.rows; r += gl_NumWorkGroups.x) {
        uint xb = p.xOffset + r * p.n;
        float ss = 0.0;
        for (uint i = tid; i < p.n; i += WG) { float v = x[xb + i]; ss += v * v; }
        float scale = inversesqrt(wg_sum(ss) / float(p.n) + p.eps);
        uint yb = p.yOffset + r * p.n;
        for (uint i = tid; i < p.n; i += WG) { y[yb + i] = x[xb + i] * scale * w[i]; }
        barrier();
    }
}
