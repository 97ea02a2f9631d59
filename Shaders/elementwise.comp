#version 450
// Element-wise ops on float buffers, selected by OP_*:
//   OP_ADD:      Y[i] = A[i] + B[i % bLen]   (residual add; bias add when bLen is a row)
//   OP_SILU_MUL: Y[i] = silu(A[i]) * B[i % bLen]
//   OP_MUL:      Y[i] = A[i] * B[i % bLen]
// Y may alias A.

layout(local_size_x = 64) in;

layout(std430, binding = 0) readonly buffer InA { float a[]; };
layout(std430, binding = 1) readonly buffer InB { float b[]; };
layout(std430, binding = 2) buffer Output { float y[]; };

layout(push_constant) uniform Params {
    uint n;
    uint bLen;
    uint aOffset;
    uint bOffset;
    uint yOffset;
} p;

void main() {
    for (uint i = gl_GlobalInvocationID.x; i < p.n; i += gl_NumWorkGroups.x * 64u) {
        float av = a[p.aOffset + i];
        float bv = b[p.bOffset + i % p.bLen];
#if defined(OP_ADD)
        y[p.yOffset + i] = av + bv;
#elif defined(OP_SILU_MUL)
        y[p.yOffset + i] = av / (1.0 + exp(-av)) * bv;
#elif defined(OP_MUL)
        y[p.yOffset + i] = av * bv;
#else
#error "define one OP_*"
#endif
    }
}
