/*
 * x86 kernels for weights in ggml's own row layout: AVX-512 VL/BW + VNNI. The code is
 * x86_avx2_plain.c's, compiled again with the integer dot products as vpdpbusd/vpdpwssd on
 * 256-bit vectors (see that file).
 */
#define MINNOW_PLAIN_VNNI 1
#define MINNOW_PLAIN_LOOKUP minnow_avx512_plain_kernel
#include "x86_avx2_plain.c"
