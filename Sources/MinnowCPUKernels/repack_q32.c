/* Repacking of Q8_0, Q4_0, Q5_0 and Q5_K rows into interleaved groups of 8 rows (layouts:
 * repacked_q32.h). Portable C; no allocation. */
#include "repacked_q32.h"
#include "repacked_layout.h"
#include "k_scales.h"

#include <string.h>

static int source_block_bytes(int type) {
    switch (type) {
    case MINNOW_TYPE_Q8_0: return 34;
    case MINNOW_TYPE_Q4_0: return 18;
    case MINNOW_TYPE_Q5_0: return 22;
    default: return 0;
    }
}

static int pair_bytes(int type) {
    switch (type) {
    case MINNOW_TYPE_Q8_0: return MINNOW_RQ8_0_PAIR;
    case MINNOW_TYPE_Q4_0: return MINNOW_RQ4_0_PAIR;
    case MINNOW_TYPE_Q5_0: return MINNOW_RQ5_0_PAIR;
    default: return 0;
    }
}

int64_t minnow_repacked_row_bytes_q32(int type, int64_t count) {
    if (type == MINNOW_TYPE_Q5_K) return count > 0 && count % MINNOW_QK_K == 0 ? count / MINNOW_QK_K * MINNOW_RQ5K_ROW_BYTES : 0;
    int bb = source_block_bytes(type);
    if (bb == 0 || count <= 0 || count % 32 != 0) return 0;
    int64_t pairs = (count / 32 + 1) / 2;
    return pairs * 2 * bb;
}

/* One pair block from the 8 rows' source blocks: src[r][e] is row r's block 2p + e, or NULL for
 * the padding block (zero). */
static void repack_pair(int type, const uint8_t *const src[8][2], uint8_t *dst) {
    static const uint8_t zero[34] = {0};
    int doff = type == MINNOW_TYPE_Q8_0 ? MINNOW_RQ8_0_D : type == MINNOW_TYPE_Q4_0 ? MINNOW_RQ4_0_D : MINNOW_RQ5_0_D;
    if (type == MINNOW_TYPE_Q5_0) memset(dst + MINNOW_RQ5_0_QH, 0, 64);
    for (int r = 0; r < 8; r++) {
        for (int e = 0; e < 2; e++) {
            const uint8_t *b = src[r][e] ? src[r][e] : zero;
            memcpy(dst + doff + 2 * (2 * r + e), b, 2); /* zero block: d = +0 */
            switch (type) {
            case MINNOW_TYPE_Q8_0:
                for (int k = 0; k < 8; k++) {
                    for (int t = 0; t < 4; t++) dst[64 * k + 8 * r + 4 * e + t] = (uint8_t)(b[2 + 4 * k + t] ^ 0x80);
                }
                break;
            case MINNOW_TYPE_Q4_0:
                for (int c = 0; c < 4; c++) memcpy(dst + 64 * c + 8 * r + 4 * e, b + 2 + 4 * c, 4);
                break;
            default: { /* Q5_0: d, qh (u32 LE, bit j = fifth bit of element j), qs[16] */
                uint32_t qh = (uint32_t)b[2] | (uint32_t)b[3] << 8 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 24;
                for (int c = 0; c < 4; c++) memcpy(dst + 64 * c + 8 * r + 4 * e, b + 6 + 4 * c, 4);
                for (int k = 0; k < 8; k++) {
                    for (int t = 0; t < 4; t++) {
                        int j = 8 * r + 4 * e + t; /* byte of decoded chunk k */
                        if ((qh >> (4 * k + t)) & 1) dst[MINNOW_RQ5_0_QH + 8 * k + (j >> 3)] |= (uint8_t)(1u << (j & 7));
                    }
                }
                break;
            }
            }
        }
    }
}

/* One Q5_K group block from the 8 rows' source blocks (d, dmin, scales[12], qh[32], qs[128]):
 * the Q4_K layout's part, then the qh chunks. */
static void repack_q5k_block(const uint8_t *const src[8], uint8_t *dst) {
    uint8_t sc[8][8], mn[8][8]; /* [row][sub-block] */
    for (int r = 0; r < 8; r++) {
        const uint8_t *b = src[r];
        minnow_k4_scales(b + 4, sc[r], mn[r]);
        memcpy(dst + MINNOW_RQ4K_D + 2 * r, b, 2);
        memcpy(dst + MINNOW_RQ4K_DMIN + 2 * r, b + 2, 2);
        for (int p = 0; p < 4; p++) {
            for (int c = 0; c < 4; c++) memcpy(dst + MINNOW_RQ4K_QS + (p * 4 + c) * 64 + 8 * r, b + 48 + 32 * p + 8 * c, 8);
        }
        for (int c = 0; c < 4; c++) memcpy(dst + MINNOW_RQ5K_QH + 64 * c + 8 * r, b + 16 + 8 * c, 8);
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

int minnow_repack_q32(int type, const void *src, int64_t src_row_stride, int64_t rows, int64_t count, void *dst) {
    int64_t row_bytes = minnow_repacked_row_bytes_q32(type, count);
    if (row_bytes == 0 || rows < 0 || rows % 8 != 0 || !src || !dst) return -1;
    if (type == MINNOW_TYPE_Q5_K) {
        const uint8_t *s = (const uint8_t *)src;
        uint8_t *d = (uint8_t *)dst;
        for (int64_t g = 0; g < rows / 8; g++) {
            for (int64_t n = 0; n < count / MINNOW_QK_K; n++) {
                const uint8_t *bp[8];
                for (int r = 0; r < 8; r++) bp[r] = s + (g * 8 + r) * src_row_stride + n * MINNOW_Q5K_BLOCK;
                repack_q5k_block(bp, d + g * 8 * row_bytes + n * MINNOW_RQ5K_GROUP);
            }
        }
        return 0;
    }
    const int64_t blocks = count / 32, pairs = (blocks + 1) / 2, bb = source_block_bytes(type), pb = pair_bytes(type);
    const uint8_t *s = (const uint8_t *)src;
    uint8_t *d = (uint8_t *)dst;
    for (int64_t g = 0; g < rows / 8; g++) {
        uint8_t *gd = d + g * 8 * row_bytes;
        for (int64_t p = 0; p < pairs; p++) {
            const uint8_t *bp[8][2];
            for (int r = 0; r < 8; r++) {
                const uint8_t *row = s + (g * 8 + r) * src_row_stride;
                for (int e = 0; e < 2; e++) bp[r][e] = 2 * p + e < blocks ? row + (2 * p + e) * bb : NULL;
            }
            repack_pair(type, bp, gd + p * pb);
        }
    }
    return 0;
}
