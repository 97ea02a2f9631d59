/* Placeholder until the variant is written. */
#include "variants.h"
minnow_dot_fn minnow_neon_repacked_kernel(int type) { (void)type; return 0; }
