// Byte-level access to ggml blocks packed in a uint32 storage buffer named `wq`.
// ggml blocks are only 2-byte aligned (Q4_0 is 18 bytes, Q8_0 34, Q6_K 210), so every read
// goes through 32-bit words, which every Vulkan device supports without 8/16-bit storage.
#ifndef MINNOW_BYTES_GLSL
#define MINNOW_BYTES_GLSL

uint rd_u8(uint off) {
    return (wq[off >> 2] >> ((off & 3u) * 8u)) & 0xFFu;
}

// A signed byte.
int rd_i8(uint off) {
    return int(rd_u8(off) << 24) >> 24;
}

// A 16-bit value at an even byte offset.
uint rd_u16(uint off) {
    return (wq[off >> 2] >> ((off & 2u) * 8u)) & 0xFFFFu;
}

float rd_f16(uint off) {
    return unpackHalf2x16(rd_u16(off)).x;
}

// 32 bits at an even byte offset.
uint rd_u32(uint off) {
    uint w = off >> 2;
    if ((off & 2u) == 0u) {
        return wq[w];
    }
    return (wq[w] >> 16) | (wq[w + 1u] << 16);
}

#endif
