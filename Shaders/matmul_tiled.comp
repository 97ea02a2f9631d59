#version 450
// The `.tiled` variant's matrix-matrix product for prompts:
// Y[n][yOffset + r] = sum_k W[r][k] * X[n][k] for a weight W of type TYPE_* (any type
// quant.glsl dequantizes), float activations X and outputs Y.
//
// A workgroup of 64 invocations owns an output tile of TM = 32 weight rows x TN = 16 token
// columns and walks K in steps of BK = 64 elements (two 32-element chunks). Each step:
//   1. every invocation dequantizes one chunk of one row of the tile (invocation i: row i / 2,
//      chunk i % 2, so neighbouring invocations read neighbouring bytes) into the shared
//      weight tile ws, and loads 16 of the TN x BK activations (consecutive invocations,
//      consecutive elements) into the shared activation tile xs;
//   2. barrier();
//   3. every invocation accumulates, in registers, its row (i % TM) against its TN / 2 columns
//      (i / TM + 2j): each dequantized weight is read from shared memory once per step and
//      used for 8 columns;
//   4. barrier() before the next step overwrites the tiles.
// Rows past M dequantize row M - 1 again and columns past N load zeros (every load in bounds,
// no branch around a barrier); only real outputs are written. A chunk past K (K a multiple
// of 32 but not of 64) is zeros. Tiles beyond the dispatch size are handled by striding, so
// any size fits the 65535-workgroup limit. The tile sizes are picked to be simple, not tuned:
// 64 invocations run on any device; the two tiles take (32 + 16) x 65 x 4 = 12,480 bytes,
// under the 16 KiB of shared memory every Vulkan device offers; the +1 column of padding keeps
// invocations reading different rows of ws on different banks.

layout(local_size_x = 64) in;

const uint WG = 64u;
const uint TM = 32u;             // weight rows per tile
const uint TN = 16u;             // token columns per tile
const uint BK = 64u;             // elements of K per step
const uint CPS = BK / 32u;       // chunks per step; WG == TM * CPS
const uint CPI = TN / CPS;       // columns per invocation

layout(std430, binding = 0) readonly buffer Weights { uint wq[]; };
layout(std430, binding = 1) readonly buffer Input { float x[]; };
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

#include "quant.glsl"

shared float ws[TM * (BK + 1u)];
shared float xs[TN * (BK + 1u)];

void main() {
    uint tid = gl_LocalInvocationID.x;
    uint chunks = p.K / 32u;
    uint rowTiles = (p.M + TM - 1u) / TM;
    uint colTiles = (p.N + TN - 1u) / TN;
    // This invocation's loads (row lr, chunk lc of each step) and outputs (row or, columns oc + CPS*j).
    uint lr = tid / CPS, lc = tid % CPS;
    uint or = tid % TM, oc = tid / TM;
    for (uint ct = gl_WorkGroupID.y; ct < colTiles; ct += gl_NumWorkGroups.y) {
        uint n0 = ct * TN;
        for (uint rt = gl_WorkGroupID.x; rt < rowTiles; rt += gl_NumWorkGroups.x) {
            uint r0 = rt * TM;
            uint loadRow = min(r0 + lr, p.M - 1u);
            float acc[CPI];
            for (uint j = 0u; j < CPI; j++) { acc[j] = 0.0; }
            for (uint k0 = 0u; k0 < p.K; k0 += BK) {
                uint c = k0 / 32u + lc;
                float v[32];
                if (c < chunks) {
                    dequant32(loadRow * p.rowBytes, c, v);
                } else {
                    for (uint i = 0u; i < 32u; i++) { v[i] = 0.0; }
                }
                for (uint i = 0u; i < 32u; i++) { ws[lr * (BK + 1u) + lc * 32u + i] = v[i]; }
                for (uint i = tid; i < TN * BK; i += WG) {
                    uint n = i / BK, k = i % BK;
                    float xv = 0.0;
                    if (n0 + n < p.N && k0 + k < p.K) { xv = x[p.xOffset + (n0 + n) * p.xStride + k0 + k]; }
                    xs[n * (BK + 1u) + k] = xv;
                }
                barrier();
                for (uint k = 0u; k < BK; k++) {
                    float w = ws[or * (BK + 1u) + k];
                    for (uint j = 0u; j < CPI; j++) { acc[j] += w * xs[(oc + CPS * j) * (BK + 1u) + k]; }
                }
                barrier();
            }
            if (r0 + or < p.M) {
                for (uint j = 0u; j < CPI; j++) {
                    uint n = n0 + oc + CPS * j;
                    if (n < p.N) { y[p.yOffset + n * p.yStride + r0 + or] = acc[j]; }
                }
            }
        }
    }
}
