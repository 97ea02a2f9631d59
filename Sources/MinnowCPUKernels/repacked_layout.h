/*
 * Internal: the repacked weight layouts (written by repack.c, read by the *_repacked.c kernels).
 * The 32-element types Q8_0, Q4_0, Q5_0 have their own layouts: repacked_q32.h.
 *
 * A repacked matrix is a sequence of groups of 8 rows. A group holds, for each superblock n of
 * 256 elements (n = 0 ..< count / 256), one "group block" of 8 * (row bytes per superblock)
 * bytes, back to back: the group block of superblock n starts at group + n * GROUP_BYTES. A
 * group takes 8 * minnow_repacked_row_bytes(type, count) bytes, so group g of a matrix starts at
 * weights + g * 8 * row_stride.
 *
 * Lane conventions shared by the layouts (a 512-bit vector seen as 16 int32 lanes, lane
 * L = 4i + j, i = 0..3 the 128-bit lane, j = 0..3):
 *
 *  - "chunk": 64 bytes holding 8 rows x 8 bytes, row r at bytes 8r ..< 8r+8, the same 8 element
 *    positions of every row. A vpdpbusd of a chunk with a 64-bit broadcast of the 8 matching
 *    activation bytes gives row r's partial sums in int32 lanes 2r (positions 0-3) and 2r+1
 *    (positions 4-7).
 *  - "row lanes": after vpackssdw of two such results A, B, the int16 word pair of int32 lane
 *    (i, j) is (A lanes 4i+2j', 4i+2j'+1) for j = j' < 2, (B lanes ...) for j = j'+2 < 4, so
 *    both words of lane (i, j) belong to row 2i + (j & 1); a vpdpwssd with a vector whose lane
 *    (i, j) is that row's scale twice gives per-row sums in lanes (i, j). Each row r thus owns
 *    the two lanes 4(r>>1) + (r&1) and 4(r>>1) + (r&1) + 2; the result is their sum.
 *  - Activation bsums pattern k (k = 0..3): the int32 lanes (i, j) hold the word pair
 *    (bsums[2m], bsums[2m+1]) with m = k + 4 (j >> 1), i.e. per 128-bit lane the dwords
 *    [B_k, B_k, B_{k+4}, B_{k+4}] of the Q8_K bsums seen as 8 dwords B_0..B_7.
 *
 * Float order per output (the same for one activation row and for a tile of several, which is
 * what makes the kernels batch invariant): per superblock in order, per lane, F = fma(...) as
 * written in each kernel; at the end out[r] = F[lane a] + F[lane b] of the row's two lanes.
 *
 * ---------------------------------------------------------------------------------------------
 * Q4_K (ggml block: half d, half dmin, scales[12] (6-bit scales/mins of 8 sub-blocks of 32),
 * qs[128]: byte 32p + l holds element 64p + l (low nibble, sub-block 2p) and 64p + 32 + l (high
 * nibble, sub-block 2p+1)). Group block: 1184 bytes (148 per row, the original 144 + 4):
 *
 *    0  uint8  qs[4][4][64]  qs[p][c] is a chunk: row r's bytes 8r+t = its qs[32p + 8c + t]
 *                            (t = 0..7): low nibbles = elements 64p + 8c + t (sub-block 2p),
 *                            high nibbles = elements 64p + 32 + 8c + t (sub-block 2p+1).
 * 1024  uint16 d[8]          the rows' d (IEEE half, as in the source)
 * 1040  uint16 dmin[8]       the rows' dmin
 * 1056  uint8  sc[4][16]     sub-block pair p: sc[p][4i+j] = scale of sub-block 2p + (j>>1) of
 *                            row 2i + (j&1): the row-lane order of packs(lo, hi).
 * 1120  uint8  mn[4][16]     mn[k][4i+j] = min of sub-block k + 4(j>>1) of row 2i + (j&1): the
 *                            row-lane order of bsums pattern k (min times bsums[2m]+bsums[2m+1]).
 *
 * The kernel per superblock: F -= cvt(sum_k mins . pattern_k) * (dmin * d_a); for each pair p,
 * 4 chunks x (low, high) vpdpbusd into lo, hi; I += packs(lo, hi) . scales(p);
 * F += cvt(I) * (d * d_a). (Each lo/hi lane sums 16 products, |.| <= 16*15*128 < 32768.)
 *
 * ---------------------------------------------------------------------------------------------
 * Q6_K (ggml block: ql[128], qh[64], int8 scales[16] (16 sub-blocks of 16), half d). Element
 * values q (0..63, value = d * scale * (q - 32)). Let V_k (k = 0..31) be the chunk of the 6-bit
 * values of elements 8k ..< 8k+8 of the 8 rows (sub-block s = V_2s, V_2s+1). Group block: 1680
 * bytes (210 per row, the same size as the source):
 *
 *    0  uint8  ql[16][64]    chunk c: low nibbles = low 4 bits of V_c, high nibbles = of V_c+16
 * 1024  uint8  qh[8][64]     chunk e: bits 0-1 = high 2 bits of V_e, bits 2-3 of V_e+8,
 *                            bits 4-5 of V_e+16, bits 6-7 of V_e+24
 * 1536  int8   sc[4][32]     sc[k][2L + w] (L = 4i + j, w = 0, 1) = scale of sub-block
 *                            2m + w, m = k + 4(j>>1), of row 2i + (j&1): sign-extended to words
 *                            this is the row-lane word order of bsums pattern k, and the scale
 *                            of any one sub-block for every row lane is a byte shuffle of it.
 * 1664  uint16 d[8]          the rows' d (IEEE half)
 *
 * The kernel per superblock: I = sum_k (-32 sc_k) . pattern_k; for each sub-block s, two fresh
 * vpdpbusd (V_2s, V_2s+1: each lane 4 products, |.| <= 4*63*128 < 32768), I += packs . scale(s);
 * F += cvt(I) * (d * d_a).
 */
#ifndef MINNOW_REPACKED_LAYOUT_H
#define MINNOW_REPACKED_LAYOUT_H

#include <stdint.h>

#define MINNOW_QK_K 256
#define MINNOW_Q8K_BYTES 292      /* float d, int8 qs[256], int16 bsums[16] */
#define MINNOW_Q8K_QS 4
#define MINNOW_Q8K_BSUMS 260

#define MINNOW_Q4K_BLOCK 144
#define MINNOW_RQ4K_ROW_BYTES 148 /* per row per superblock */
#define MINNOW_RQ4K_GROUP 1184    /* 8 rows, one superblock */
#define MINNOW_RQ4K_QS 0
#define MINNOW_RQ4K_D 1024
#define MINNOW_RQ4K_DMIN 1040
#define MINNOW_RQ4K_SC 1056
#define MINNOW_RQ4K_MN 1120

#define MINNOW_Q6K_BLOCK 210
#define MINNOW_RQ6K_ROW_BYTES 210
#define MINNOW_RQ6K_GROUP 1680
#define MINNOW_RQ6K_QL 0
#define MINNOW_RQ6K_QH 1024
#define MINNOW_RQ6K_SC 1536
#define MINNOW_RQ6K_D 1664

#endif
