#version 450
#extension GL_KHR_shader_subgroup_arithmetic : enable
#extension GL_KHR_shader_subgroup_basic : enable
// Y[n][rowOffset + r] = sum_k W[r][k] * X[n][k] for a quantized weight W (type TYPE_*),
// float activations X and outputs Y. With one column (n == 1) this is the decode
// matrix-vector product; with more, each workgroup dequantizes a chunk of its rows once and
// uses it for NUM_COLS columns (the prompt matrix-matrix product).
//
// A workgroup owns NUM_ROWS rows; its invocations split the 32-element chunks of those rows.
// With SUBGROUP_REDUCE the partial sums meet through subgroupAdd, and through shared memory
// only when the workgroup holds several subgroups (no barrier otherwise: barriers are what
// costs most on CPU implementations such as lavapipe); without it, a shared-memory tree. Row groups beyond the dispatch size are
// handled by striding, so any row count fits the 65535-workgroup limit.
// With ROW_PER_INVOCATION (for CPU-type devices) each invocation owns a whole row instead.
// With INTEGER_DOT (the `.integerDot` variant, which implies SUBGROUP_REDUCE) X arrives as
// Q8_1-style int8 blocks (quantize_q8_1.comp) and each chunk is a packed integer dot product
// (quant_dot.glsl); xOffset and xStride then count blocks, not elements.

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint WG = 64;       // power of two
layout(constant_id = 1) const uint NUM_ROWS = 2;
layout(constant_id = 2) const uint NUM_COLS = 1;

layout(std430, binding = 0) readonly buffer Weights { uint wq[]; };
#if defined(INTEGER_DOT)
layout(std430, binding = 1) readonly buffer Input { uint xq[]; };
#elif defined(ROW_PER_INVOCATION)
// Read as vec4: xOffset, xStride and K are multiples of 4 (the kernel checks).
layout(std430, binding = 1) readonly buffer Input { vec4 x4[]; };
#else
layout(std430, binding = 1) readonly buffer Input { float x[]; };
#endif
layout(std430, binding = 2) writeonly buffer Output { float y[]; };

layout(push_constant) uniform Params {
    uint K;          // row length in elements (a multiple of 32)
    uint M;          // rows in this weight buffer
    uint N;          // columns (tokens)
    uint rowBytes;   // bytes per weight row
    uint xOffset;    // first element of X
    uint xStride;    // elements between columns of X
    uint yOffset;    // first element of Y (row 0 of this buffer, column 0)
    uint yStride;    // elements between columns of Y
} p;

#if defined(INTEGER_DOT)
#include "quant_dot.glsl"
#else
#include "quant.glsl"
#endif

#if defined(ROW_PER_INVOCATION)
// For CPU implementations (lavapipe): each invocation owns one row and walks its chunks in
// order, so X's addresses are the same in every invocation of the workgroup and no reduction
// (no subgroup operation, no shared memory, no barrier) is needed. A workgroup owns WG rows.
void main() {
    uint chunks = p.K / 32u;
    uint groups = (p.M + WG - 1u) / WG;
    for (uint n0 = gl_WorkGroupID.y * NUM_COLS; n0 < p.N; n0 += gl_NumWorkGroups.y * NUM_COLS) {
        for (uint g = gl_WorkGroupID.x; g < groups; g += gl_NumWorkGroups.x) {
            uint row = min(g * WG + gl_LocalInvocationID.x, p.M - 1u);
            float acc[NUM_COLS];
            for (uint n = 0u; n < NUM_COLS; n++) { acc[n] = 0.0; }
            for (uint c = 0u; c < chunks; c++) {
                float v[32];
                dequant32(row * p.rowBytes, c, v);
                for (uint n = 0u; n < NUM_COLS; n++) {
                    if (n0 + n >= p.N) { break; }
                    uint xb = (p.xOffset + (n0 + n) * p.xStride + c * 32u) / 4u;
                    float s = 0.0;
                    for (uint i = 0u; i < 8u; i++) {
                        s += dot(vec4(v[4u * i], v[4u * i + 1u], v[4u * i + 2u], v[4u * i + 3u]), x4[xb + i]);
                    }
                    acc[n] += s;
                }
            }
            // Rows past the end computed row M - 1 again (keeping every load in bounds and the
            // loop uniform); only real rows are written.
            if (g * WG + gl_LocalInvocationID.x < p.M) {
                for (uint n = 0u; n < NUM_COLS; n++) {
                    if (n0 + n < p.N) { y[p.yOffset + (n0 + n) * p.yStride + row] = acc[n]; }
                }
            }
        }
    }
}
#else
shared float red[NUM_ROWS * NUM_COLS * WG];

void main() {
    uint tid = gl_LocalInvocationID.x;
    uint chunks = p.K / 32u;
    uint groups = (p.M + NUM_ROWS - 1u) / NUM_ROWS;
    for (uint n0 = gl_WorkGroupID.y * NUM_COLS; n0 < p.N; n0 += gl_NumWorkGroups.y * NUM_COLS) {
        for (uint g = gl_WorkGroupID.x; g < groups; g += gl_NumWorkGroups.x) {
            float acc[NUM_ROWS * NUM_COLS];
            for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++) { acc[i] = 0.0; }
            for (uint c = tid; c < chunks; c += WG) {
                for (uint r = 0u; r < NUM_ROWS; r++) {
                    uint row = g * NUM_ROWS + r;
                    if (row >= p.M) { break; }
#if defined(INTEGER_DOT)
                    uint w[8];
                    float f0, f1, bias;
                    wload(row * p.rowBytes, c, w, f0, f1, bias);
                    for (uint n = 0u; n < NUM_COLS; n++) {
                        if (n0 + n >= p.N) { break; }
                        acc[r * NUM_COLS + n] += dot_chunk(w, f0, f1, bias, (p.xOffset + (n0 + n) * p.xStride + c) * 10u);
                    }
#else
                    float v[32];
                    dequant32(row * p.rowBytes, c, v);
                    for (uint n = 0u; n < NUM_COLS; n++) {
                        if (n0 + n >= p.N) { break; }
                        uint xb = p.xOffset + (n0 + n) * p.xStride + c * 32u;
                        float s = 0.0;
                        for (uint i = 0u; i < 32u; i++) { s += v[i] * x[xb + i]; }
                        acc[r * NUM_COLS + n] += s;
                    }
#endif
                }
            }
#if defined(SUBGROUP_REDUCE)
            for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++) { acc[i] = subgroupAdd(acc[i]); }
            if (gl_NumSubgroups == 1u) {
                if (subgroupElect()) {
                    for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++) {
                        uint row = g * NUM_ROWS + i / NUM_COLS;
                        uint n = n0 + i % NUM_COLS;
                        if (row < p.M && n < p.N) { y[p.yOffset + n * p.yStride + row] = acc[i]; }
                    }
                }
                continue;
            }
            // Several subgroups: one partial per subgroup, then a short serial sum.
            if (subgroupElect()) {
                for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++) { red[i * WG + gl_SubgroupID] = acc[i]; }
            }
            barrier();
            if (tid < NUM_ROWS * NUM_COLS) {
                float s = 0.0;
                for (uint k = 0u; k < gl_NumSubgroups; k++) { s += red[tid * WG + k]; }
                uint row = g * NUM_ROWS + tid / NUM_COLS;
                uint n = n0 + tid % NUM_COLS;
                if (row < p.M && n < p.N) { y[p.yOffset + n * p.yStride + row] = s; }
            }
            barrier();
#else
            for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++) { red[i * WG + tid] = acc[i]; }
            barrier();
            for (uint s = WG / 2u; s > 0u; s >>= 1) {
                if (tid < s) {
                    for (uint i = 0u; i < NUM_ROWS * NUM_COLS; i++) {
                        red[i * WG + tid] += red[i * WG + tid + s];
                    }
                }
                barrier();
            }
            if (tid < NUM_ROWS * NUM_COLS) {
                uint r = tid / NUM_COLS;
                uint n = tid % NUM_COLS;
                uint row = g * NUM_ROWS + r;
                if (row < p.M && n0 + n < p.N) {
                    y[p.yOffset + (n0 + n) * p.yStride + row] = red[tid * WG];
                }
            }
            barrier();
#endif
        }
    }
}
#endif
