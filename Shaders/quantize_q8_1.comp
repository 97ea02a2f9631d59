#version 450
// Quantizes N columns of K float activations to Q8_1-style blocks for the `.integerDot`
// matmul: per 32 elements, 8 words of packed int8 values q = round(x / d), with
// d = max|x| / 127, then d and s = d·Σq as float bits (10 words per block). Column n's
// blocks start at block n·K/32. One invocation per block.

layout(local_size_x = 64) in;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) writeonly buffer Output { uint xq[]; };

layout(push_constant) uniform Params {
    uint K;          // elements per column (a multiple of 32)
    uint N;          // columns
    uint xOffset;    // first element of X
    uint xStride;    // elements between columns of X
} p;

void main() {
    uint perColumn = p.K / 32u;
    uint total = perColumn * p.N;
    for (uint blk = gl_GlobalInvocationID.x; blk < total; blk += gl_NumWorkGroups.x * 64u) {
        uint n = blk / perColumn;
        uint xb = p.xOffset + n * p.xStride + (blk % perColumn) * 32u;
        float amax = 0.0;
        for (uint i = 0u; i < 32u; i++) { amax = max(amax, abs(x[xb + i])); }
        float d = amax / 127.0;
        float id = d > 0.0 ? 1.0 / d : 0.0;
        int sum = 0;
        for (uint i = 0u; i < 8u; i++) {
            uint word = 0u;
            for (uint k = 0u; k < 4u; k++) {
                int q = clamp(int(round(x[xb + 4u * i + k] * id)), -127, 127);
                sum += q;
                word |= (uint(q) & 0xFFu) << (8u * k);
            }
            xq[blk * 10u + i] = word;
        }
        xq[blk * 10u + 8u] = floatBitsToUint(d);
        xq[blk * 10u + 9u] = floatBitsToUint(d * float(sum));
    }
}
