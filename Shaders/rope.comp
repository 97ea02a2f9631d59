#version 450
// Rotary position embedding, in place, on X laid out as [tokens][heads][headDim].
// The host supplies, for every token, the cosine and sine of each pair's angle
// ([tokens][rotDim/2][2] floats), computed exactly as the CPU backend computes them:
// GPU sin/cos are only accurate near [-pi, pi], and positions reach thousands of radians.
// Normal style rotates (2i, 2i+1); NeoX style rotates (i, i + rotDim/2).

layout(local_size_x = 64) in;

layout(std430, binding = 0) buffer Data { float x[]; };
layout(std430, binding = 1) readonly buffer Table { float cs[]; };

layout(push_constant) uniform Params {
    uint tokens;
    uint heads;
    uint headDim;
    uint rotDim;     // rotated dimensions (<= headDim, even)
    uint neox;       // 1 for NeoX style
    uint offset;     // first element of X
} p;

void main() {
    uint half_ = p.rotDim / 2u;
    uint total = p.tokens * p.heads * half_;
    for (uint g = gl_GlobalInvocationID.x; g < total; g += gl_NumWorkGroups.x * 64u) {
        uint i = g % half_;
        uint th = g / half_;
        uint t = th / p.heads;
        float c = cs[2u * (t * half_ + i)];
        float s = cs[2u * (t * half_ + i) + 1u];
        uint base = p.offset + th * p.headDim;
        uint a = p.neox != 0u ? base + i : base + 2u * i;
        uint b = p.neox != 0u ? base + i + half_ : base + 2u * i + 1u;
        float x0 = x[a];
        float x1 = x[b];
        x[a] = x0 * c - x1 * s;
        x[b] = x0 * s + x1 * c;
    }
}
