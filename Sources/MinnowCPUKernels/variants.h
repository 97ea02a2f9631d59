/* Internal: each variant's lookup functions. Every one is defined on every architecture and
 * returns NULL where its variant is not compiled in. */
#ifndef MINNOW_VARIANTS_H
#define MINNOW_VARIANTS_H

#include "include/minnow_cpu_kernels.h"

minnow_dot_fn minnow_avx2_plain_kernel(int type);
minnow_dot_fn minnow_avx512_plain_kernel(int type);
minnow_dot_fn minnow_neon_plain_kernel(int type);
minnow_dot_fn minnow_avx2_repacked_kernel(int type);
minnow_dot_fn minnow_avx512_repacked_kernel(int type);
minnow_dot_fn minnow_neon_repacked_kernel(int type);

#endif
