#version 450
// Writes T tokens of keys (or values), [T][width] floats, into a cache laid out as
// [capacity][width] starting at row startPos. With KV_F16 the cache holds halves packed
// two per uint32 word; width must then be even.

layout(local_size_x = 64) in;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) buffer Cache { uint cache[]; };

layout(push_constant) uniform Params {
    uint tokens;
    uint width;      // kvHeads * headDim
    uint startPos;
    uint xOffset;
} p;

void main() {
#if defined(KV_F16)
    uint words = p.tokens * p.width / 2u;
    for (uint g = gl_GlobalInvocationID.x; g < words; g += gl_NumWorkGroups.x * 64u) {
        uint e = 2u * g;
        vec2 v = vec2(x[p.xOffset + e], x[p.xOffset + e + 1u]);
        cache[p.startPos * p.width / 2u + g] = packHalf2x16(v);
    }
#else
    uint n = p.tokens * p.width;
    for (uint g = gl_GlobalInvocationID.x; g < n; g += gl_NumWorkGroups.x * 64u) {
        cache[p.startPos * p.width + g] = floatBitsToUint(x[p.xOffset + g]);
    }
#endif
}
