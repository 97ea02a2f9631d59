/* Repacking of Q4_K and Q6_K rows (Q8_0, Q4_0, Q5_0, Q5_K: repack_q32.c) into interleaved groups of 8 rows (layouts: repacked_layout.h).
 * Portable C; one pass over the source, no allocation. */
#include "include/minnow_cpu_kernels.h"
#include "repacked_layout.h"
#include "k_scales.h"
#include "repacked_q32.h"

#include <string.h>

int64_t minnow_repacked_row_bytes(int type, int64_t count) {
    if (type == MINNOW_TYPE_Q8_0 || type == MINNOW_TYPE_Q4_0 || type == MINNOW_TYPE_Q5_0 || type == MINNOW_TYPE_Q5_K)
        return minnow_repacked_row_bytes_q32(type, count); /* repack_q32.c */
    if (count <= 0 || count % MINNOW_QK_K != 0) return 0;
    int64_t blocks = count / MINNOW_QK_K;
    switch (type) {
    case MINNOW_TYPE_Q4_K: return blocks * MINNOW_RQ4K_ROW_BYTES;
    case MINNOW_TYPE_Q6_K: return blocks * MINNOW_RQ6K_ROW_BYTES;
    default: return 0;
    }
}

/* One Q4_K group block from the 8 rows' source blocks. */
static void repack_q4k_block(const uint8_t *const src[8], uint8_t *dst) {
    uint8_t sc[8][8], mn[8][8]; /* [row][sub-block] */
    for (int r = 0; r < 8; r++) {
        const uint8_t *b = src[r];
        minnow_k4_scales(b + 4, sc[r], mn[r]);
        memcpy(dst + MINNOW_RQ4K_D + 2 * r, b, 2);
        memcpy(dst + MINNOW_RQ4K_DMIN + 2 * r, b + 2, 2);
    }
    uint8_t *qs = dst + MINNOW_RQ4K_QS;
    for (int p = 0; p < 4; p++) {
        for (int c = 0; c < 4; c++) {
            uint8_t *chunk = qs + (p * 4 + c) * 64;
            for (int r = 0; r < 8; r++) memcpy(chunk + 8 * r, src[r] + 16 + 32 * p + 8 * c, 8);
        }
    }
    for (int p = 0; p < 4; p++) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                dst[MINNOW_RQ4K_SC + 16 * p + 4 * i + j] = sc[2 * i + (j & 1)][2 * p + (j >> 1)];
                dst[MINNOW_RQ4K_MN + 16 * p + 4 * i + j] = mn[2 * i + (j & 1)][p + 4 * (j >> 1)];
            }
        }
    }
}

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline void store64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* One Q6_K group block from the 8 rows' source blocks, 8 bytes at a time. In ggml's block, element
 * 128h + 32q + l (q = 0..3, l = 0..31) has its low 4 bits in ql[64h + 32(q & 1) + l] (bits
 * 4(q >> 1)..) and its high 2 bits in qh[32h + l] (bits 2q..). V_k (elements 8k..8k+7) thus has
 * h = k >> 4, q = (k & 15) >> 2, l = 8(k & 3) + t. */
static void repack_q6k_block(const uint8_t *const src[8], uint8_t *dst) {
    const uint64_t m0f = 0x0F0F0F0F0F0F0F0Full, m03 = 0x0303030303030303ull;
    for (int r = 0; r < 8; r++) {
        const uint8_t *ql = src[r], *qh = src[r] + 128;
        for (int c = 0; c < 16; c++) { /* ql chunk c: V_c (h = 0) low nibbles, V_c+16 (h = 1) high */
            int q = c >> 2, l = 8 * (c & 3), sh = 4 * (q >> 1), at = 32 * (q & 1) + l;
            uint64_t a = (load64(ql + at) >> sh) & m0f, b = (load64(ql + 64 + at) >> sh) & m0f;
            store64(dst + MINNOW_RQ6K_QL + 64 * c + 8 * r, a | (b << 4));
        }
        for (int e = 0; e < 8; e++) { /* qh chunk e: V_e, V_e+8 (h = 0), V_e+16, V_e+24 (h = 1) */
            int q = e >> 2, l = 8 * (e & 3);
            uint64_t x = load64(qh + l), y = load64(qh + 32 + l);
            uint64_t v = ((x >> (2 * q)) & m03) | (((x >> (2 * q + 4)) & m03) << 2) | (((y >> (2 * q)) & m03) << 4) |
                         (((y >> (2 * q + 4)) & m03) << 6);
            store64(dst + MINNOW_RQ6K_QH + 64 * e + 8 * r, v);
        }
        memcpy(dst + MINNOW_RQ6K_D + 2 * r, src[r] + 208, 2);
    }
    int8_t *osc = (int8_t *)(dst + MINNOW_RQ6K_SC);
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                int row = 2 * i + (j & 1), m = k + 4 * (j >> 1), lane = 4 * i + j;
                osc[32 * k + 2 * lane] = (int8_t)src[row][192 + 2 * m];
                osc[32 * k + 2 * lane + 1] = (int8_t)src[row][192 + 2 * m + 1];
            }
        }
    }
}

int minnow_repack(int type, const void *src, int64_t src_row_stride, int64_t rows, int64_t count, void *dst) {
    if (type == MINNOW_TYPE_Q8_0 || type == MINNOW_TYPE_Q4_0 || type == MINNOW_TYPE_Q5_0 || type == MINNOW_TYPE_Q5_K)
        return minnow_repack_q32(type, src, src_row_stride, rows, count, dst); /* repack_q32.c */
    int64_t row_bytes = minnow_repacked_row_bytes(type, count);
    if (row_bytes == 0 || rows < 0 || rows % 8 != 0 || !src || !dst) return -1;
    int64_t blocks = count / MINNOW_QK_K;
    int64_t src_block, group_block;
    void (*one)(const uint8_t *const[8], uint8_t *);
    switch (type) {
    case MINNOW_TYPE_Q4_K: src_block = MINNOW_Q4K_BLOCK; group_block = MINNOW_RQ4K_GROUP; one = repack_q4k_block; break;
    case MINNOW_TYPE_Q6_K: src_block = MINNOW_Q6K_BLOCK; group_block = MINNOW_RQ6K_GROUP; one = repack_q6k_block; break;
    default: return -1;
    }
    const uint8_t *s = (const uint8_t *)src;
    uint8_t *d = (uint8_t *)dst;
    for (int64_t g = 0; g < rows / 8; g++) {
        const uint8_t *rowp[8];
        for (int r = 0; r < 8; r++) rowp[r] = s + (g * 8 + r) * src_row_stride;
        uint8_t *gd = d + g * 8 * row_bytes;
        for (int64_t n = 0; n < blocks; n++) {
            const uint8_t *bp[8];
            for (int r = 0; r < 8; r++) bp[r] = rowp[r] + n * src_block;
            one(bp, gd + n * group_block);
        }
    }
    return 0;
}
