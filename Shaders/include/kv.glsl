// KV cache element access: F32 words, or F16 pairs packed in uint32 words (KV_F16).
#ifndef MINNOW_KV_GLSL
#define MINNOW_KV_GLSL
#if defined(KV_F16)
float kv_load_k(uint e) { return unpackHalf2x16(kc[e >> 1])[e & 1u]; }
float kv_load_v(uint e) { return unpackHalf2x16(vc[e >> 1])[e & 1u]; }
#else
float kv_load_k(uint e) { return uintBitsToFloat(kc[e]); }
float kv_load_v(uint e) { return uintBitsToFloat(vc[e]); }
#endif
#endif
