// Workgroup-wide sum and maximum through shared memory. WG must be a power of two and the
// including shader declares `shared float red[WG]`. Every invocation must call these.
#ifndef MINNOW_REDUCE_GLSL
#define MINNOW_REDUCE_GLSL

float wg_sum(float v) {
    uint tid = gl_LocalInvocationID.x;
    red[tid] = v;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (tid < s) { red[tid] += red[tid + s]; }
        barrier();
    }
    float r = red[0];
    barrier();
    return r;
}

float wg_max(float v) {
    uint tid = gl_LocalInvocationID.x;
    red[tid] = v;
    barrier();
    for (uint s = WG / 2u; s > 0u; s >>= 1) {
        if (tid < s) { red[tid] = max(red[tid], red[tid + s]); }
        barrier();
    }
    float r = red[0];
    barrier();
    return r;
}

#endif
