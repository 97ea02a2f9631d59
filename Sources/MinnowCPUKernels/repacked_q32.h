/*
 * Internal: repacked layouts of the 32-element types Q8_0, Q4_0 and Q5_0, and of Q5_K (written by
 * repack_q32.c, read by x86_avx512_repacked_q32.c and x86_avx2_repacked_q32.c), and those files'
 * entry points.
 *
 * A repacked matrix is a sequence of groups of 8 rows; a group holds, for each pair of blocks
 * p (blocks 2p, 2p+1: elements 64p ..< 64p+64; p = 0 ..< ceil(blocks / 2)), one "pair block" of
 * 8 rows x 2 blocks, back to back. An odd block count is padded with a zero block (quants
 * meaning 0, d = 0). minnow_repacked_row_bytes = pairs * 2 * (source block bytes).
 *
 * Lanes: a 512-bit vector as 16 int32 lanes, lane 2r + e = row r, block 2p + e. A "chunk" is 64
 * bytes, row r at bytes 8r ..< 8r+8: bytes 8r+t (t = 0..3) are elements 4k+t of block 2p of row
 * r, bytes 8r+4+t elements 4k+t of block 2p+1 (decoded chunk k = 0..7). A vpdpbusd of decoded
 * chunk k with a 64-bit broadcast of (activation block 2p bytes 4k..4k+3, block 2p+1 bytes
 * 4k..4k+3) adds 4 products to each lane; the 8 chunks give each lane the full block's sum.
 *
 * Q8_0 pair block, 544 bytes (= 8 x 2 x 34):
 *    0  uint8  qs[8][64]  decoded chunk k, each byte the int8 quant XOR 0x80 (quant + 128 as uint8)
 *  512  uint16 d[16]      d[2r + e] = d of row r, block 2p + e (IEEE half)
 * Q4_0 pair block, 288 bytes (= 8 x 2 x 18):
 *    0  uint8  qs[4][64]  chunk c: row r's bytes 8r+t = source qs[4c+t] of block 2p, 8r+4+t of
 *                         block 2p+1: low nibbles are decoded chunk c, high nibbles chunk c+4
 *                         (unsigned quants 0..15, value q - 8)
 *  256  uint16 d[16]
 * Q5_0 pair block, 352 bytes (= 8 x 2 x 22):
 *    0  uint8  qs[4][64]  as Q4_0 (the low 4 bits of the 5-bit quants)
 *  256  uint64 qh[8]      bit j of qh[k] = fifth bit of byte j of decoded chunk k (value q - 16)
 *  320  uint16 d[16]
 *
 * Kernel, per pair block and activation row: I = -K * (S_2p, S_2p+1) per lane (S: sum of the
 * activation block's quants, K = 128, 8, 16), I += 8 chunk dot products (exact int32);
 * F = fma(cvt(I), d_w * d_a, F) (d_a per lane the activation block's d). At the end out[r] =
 * F[2r] + F[2r+1]. The same float operations for any tile size: batch invariant.
 *
 * ---------------------------------------------------------------------------------------------
 * Q5_K (ggml block: half d, half dmin, scales[12], qh[32] (bit j of qh[l] = fifth bit of element
 * 32j + l), qs[128] as Q4_K's). Group block: 1440 bytes (180 per row, the original 176 + 4): the
 * Q4_K group block of repacked_layout.h (1184 bytes, from the low 4 bits), then
 * 1184  uint8  qh[4][64]    chunk c: row r's bytes 8r+t = its qh[8c + t] (t = 0..7): bit 2p is
 *                            the fifth bit of the low nibble of byte 8r+t of Q4_K chunk qs[p][c],
 *                            bit 2p+1 of its high nibble.
 * The kernels are the Q4_K ones with the fifth bits added (quants 0..31); the AVX-512 one packs
 * lo/hi sums of 2 chunks at a time (8 products, |.| <= 8*31*128 < 32768).
 */
#ifndef MINNOW_REPACKED_Q32_H
#define MINNOW_REPACKED_Q32_H

#include "include/minnow_cpu_kernels.h"

#define MINNOW_RQ8_0_PAIR 544
#define MINNOW_RQ8_0_D 512
#define MINNOW_RQ4_0_PAIR 288
#define MINNOW_RQ4_0_D 256
#define MINNOW_RQ5_0_PAIR 352
#define MINNOW_RQ5_0_QH 256
#define MINNOW_RQ5_0_D 320

#define MINNOW_Q5K_BLOCK 176
#define MINNOW_RQ5K_ROW_BYTES 180
#define MINNOW_RQ5K_GROUP 1440
#define MINNOW_RQ5K_QH 1184 /* after the Q4_K-layout part (offsets MINNOW_RQ4K_*) */

/* Bytes one row takes repacked, or 0 (type not Q8_0/Q4_0/Q5_0/Q5_K, or count not a positive
 * multiple of the block size). */
int64_t minnow_repacked_row_bytes_q32(int type, int64_t count);
/* minnow_repack for Q8_0/Q4_0/Q5_0/Q5_K. */
int minnow_repack_q32(int type, const void *src, int64_t src_row_stride, int64_t rows, int64_t count, void *dst);

/* Kernels for the repacked layouts above, or NULL for other types (or off x86-64). */
minnow_dot_fn minnow_avx512_repacked_q32_kernel(int type);
minnow_dot_fn minnow_avx2_repacked_q32_kernel(int type);

#endif
