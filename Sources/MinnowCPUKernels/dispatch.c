/* Chooses a variant's kernel for a weight type. */
#include "variants.h"

unsigned minnow_variant_features(int variant) {
    switch (variant) {
    case MINNOW_VARIANT_AVX2: return MINNOW_FEATURE_AVX2;
    case MINNOW_VARIANT_AVX512: return MINNOW_FEATURE_AVX2 | MINNOW_FEATURE_AVX512_VNNI;
    case MINNOW_VARIANT_NEON: return MINNOW_FEATURE_NEON_DOTPROD;
    default: return 0;
    }
}

minnow_dot_fn minnow_dot_kernel(int variant, int type) {
    switch (variant) {
    case MINNOW_VARIANT_AVX2: return minnow_avx2_plain_kernel(type);
    case MINNOW_VARIANT_AVX512: return minnow_avx512_plain_kernel(type);
    case MINNOW_VARIANT_NEON: return minnow_neon_plain_kernel(type);
    default: return 0;
    }
}

minnow_dot_fn minnow_repacked_dot_kernel(int variant, int type) {
    switch (variant) {
    case MINNOW_VARIANT_AVX2: return minnow_avx2_repacked_kernel(type);
    case MINNOW_VARIANT_AVX512: return minnow_avx512_repacked_kernel(type);
    case MINNOW_VARIANT_NEON: return minnow_neon_repacked_kernel(type);
    default: return 0;
    }
}
