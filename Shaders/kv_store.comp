#version 450
// Writes T tokens of keys (or values), [T][width] floats, into a cache laid out as
// [sequences × capacity][width]. Each token's cache row comes from the rows buffer:
// rows[rowOffset + t] = (first cache row of its sequence, its position), so one dispatch
// stores rows of several sequences at their own positions. With KV_F16 the cache holds
// halves packed two per uint32 word; width must then be even.

layout(local_size_x = 64) in;

layout(std430, binding = 0) readonly buffer Input { float x[]; };
layout(std430, binding = 1) buffer Cache { uint cache[]; };
layout(std430, binding = 2) readonly buffer Rows { uvec2 rows[]; };

layout(push_constant) uniform Params {
    uint tokens;
    uint width;      // kvHeads * headDim
    uint rowOffset;  // first entry of the rows buffer
    uint xOffset;
} p;

void main() {
#if defined(KV_F16)
    uint perToken = p.width / 2u;
    uint words = p.tokens * perToken;
    for (uint g = gl_GlobalInvocationID.x; g < words; g += gl_NumWorkGroups.x * 64u) {
        uint t = g / perToken;
        uint i = g % perToken;
        uvec2 r = rows[p.rowOffset + t];
        uint e = 2u * g;
        vec2 v = vec2(x[p.xOffset + e], x[p.xOffset + e + 1u]);
        cache[(r.x + r.y) * perToken + i] = packHalf2x16(v);
    }
#else
    uint n = p.tokens * p.width;
    for (uint g = gl_GlobalInvocationID.x; g < n; g += gl_NumWorkGroups.x * 64u) {
        uint t = g / p.width;
        uvec2 r = rows[p.rowOffset + t];
        cache[(r.x + r.y) * p.width + g % p.width] = floatBitsToUint(x[p.xOffset + g]);
    }
#endif
}
