/*
 * Minnow's CPU matrix kernels in C, one set per instruction-set variant, chosen at run time.
 *
 * SwiftPM gives a package that others depend on by version one way to compile code for an
 * instruction set without unsafe flags: C functions marked __attribute__((target("..."))). The
 * variants here are such functions; the portable Swift SIMD kernels in MinnowEngine stay the
 * fallback on every CPU and the reference the variants are tested against.
 *
 * Every kernel has one signature: it multiplies `rows` weight rows by `activation_rows`
 * activation rows (quantized to the weight type's activation format, below) and writes
 * out[a * output_stride + r]. A kernel's result for one (weight row, activation row) pair never
 * depends on how many rows or activation rows the call has, nor on where a row range starts:
 * the integer sums are exact and the float operations run in one fixed order per output, so a
 * batched prompt gives bit-for-bit the logits of one-token-at-a-time evaluation.
 */
#ifndef MINNOW_CPU_KERNELS_H
#define MINNOW_CPU_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ggml type ids (GGUF tensor types) used below. */
enum {
    MINNOW_TYPE_F32 = 0,
    MINNOW_TYPE_F16 = 1,
    MINNOW_TYPE_Q4_0 = 2,
    MINNOW_TYPE_Q4_1 = 3,
    MINNOW_TYPE_Q5_0 = 6,
    MINNOW_TYPE_Q5_1 = 7,
    MINNOW_TYPE_Q8_0 = 8,
    MINNOW_TYPE_Q8_1 = 9,
    MINNOW_TYPE_Q2_K = 10,
    MINNOW_TYPE_Q3_K = 11,
    MINNOW_TYPE_Q4_K = 12,
    MINNOW_TYPE_Q5_K = 13,
    MINNOW_TYPE_Q6_K = 14,
    MINNOW_TYPE_Q8_K = 15,
    MINNOW_TYPE_BF16 = 30,
};

/*
 * Activation formats, exactly ggml's (the Swift quantizers write them):
 *   Q8_0 (for Q8_0, Q4_0, Q5_0 weights): per 32 values, uint16 d (IEEE half), int8 qs[32]: 34 bytes.
 *   Q8_1 (for Q4_1, Q5_1 weights): per 32 values, uint16 d, uint16 s (half, d * sum(qs)), int8 qs[32]: 36 bytes.
 *   Q8_K (for Q2_K..Q6_K weights): per 256 values, float d, int8 qs[256], int16 bsums[16]
 *        (bsums[i] = sum of qs[16i ..< 16i+16]): 292 bytes.
 * Blocks are packed back to back with no padding, so a block may sit at any 2-byte (Q8_0/Q8_1)
 * or 4-byte (Q8_K) boundary: load them unaligned.
 */

/* The CPU features a variant needs (bits of minnow_cpu_features()). */
enum {
    /* AVX2, FMA and F16C, with the OS saving YMM state. */
    MINNOW_FEATURE_AVX2 = 1u << 0,
    /* AVX-512 F, BW, VL and VNNI (plus everything of MINNOW_FEATURE_AVX2), with the OS saving ZMM state. */
    MINNOW_FEATURE_AVX512_VNNI = 1u << 1,
    /* AArch64 Advanced SIMD with the dot-product extension (SDOT/UDOT). */
    MINNOW_FEATURE_NEON_DOTPROD = 1u << 2,
    /* AArch64 int8 matrix multiply (SMMLA/USMMLA). */
    MINNOW_FEATURE_NEON_I8MM = 1u << 3,
};

/* The kernel variants. */
enum {
    MINNOW_VARIANT_AVX2 = 1,
    MINNOW_VARIANT_AVX512 = 2,
    MINNOW_VARIANT_NEON = 3,
};

/* What this CPU (and its OS) supports, as MINNOW_FEATURE_* bits; detected once, thread-safe. */
unsigned minnow_cpu_features(void);

/* The MINNOW_FEATURE_* bits variant `variant` needs; 0 for an unknown variant. */
unsigned minnow_variant_features(int variant);

/* One matrix product: see the file comment. Strides are in bytes (weights, activations) or
 * floats (out). For a repacked matrix, `weights` points at the first of a group of 8 rows,
 * `rows` is a multiple of 8 and `row_stride` is minnow_repacked_row_bytes(type, count). */
typedef struct minnow_dot_problem {
    const void *weights;
    int64_t row_stride;
    int64_t rows;
    const void *activations;
    int64_t activation_stride;
    int64_t activation_rows;
    int64_t count;
    float *out;
    int64_t output_stride;
} minnow_dot_problem;

/* A kernel. */
typedef void (*minnow_dot_fn)(const minnow_dot_problem *problem);

/* The variant's kernel for weights of ggml type `type` in ggml's own row layout, or NULL when the
 * variant has none (or is not compiled for this architecture). Call it only when
 * minnow_cpu_features() has every bit minnow_variant_features(variant) names. */
minnow_dot_fn minnow_dot_kernel(int variant, int type);

/* The variant's kernel for weights of `type` repacked by minnow_repack, or NULL. */
minnow_dot_fn minnow_repacked_dot_kernel(int variant, int type);

/*
 * Repacking: rows of `type` rearranged into interleaved groups of 8 rows, so that one vector
 * load holds 8 rows' quants and a GEMM tile reads each weight byte once for several activation
 * rows, with no horizontal sums.
 *
 * minnow_repacked_row_bytes: the bytes one row takes in the repacked layout (a group of 8 rows
 * takes 8 times that), or 0 when `type` has no repacked layout or `count` is not a whole number
 * of its blocks.
 * minnow_repack: rearranges `rows` rows (a multiple of 8) of `count` elements, `src_row_stride`
 * bytes apart, into `dst` (rows * minnow_repacked_row_bytes(type, count) bytes). Returns 0, or
 * -1 when the type, the row count or the element count cannot be repacked (dst is then untouched).
 */
int64_t minnow_repacked_row_bytes(int type, int64_t count);
int minnow_repack(int type, const void *src, int64_t src_row_stride, int64_t rows, int64_t count, void *dst);

/* Converts `count` floats (a whole number of blocks) into the activation format `type`
 * (MINNOW_TYPE_Q8_K), byte for byte as ggml's reference quantizer. */
typedef void (*minnow_quantize_fn)(const float *x, int64_t count, void *out);

/* The variant's activation quantizer for `type`, or NULL (then the Swift one runs). */
minnow_quantize_fn minnow_activation_quantizer(int variant, int type);

/*
 * Attention over an F16 KV cache for one row and one KV head: the `group` query heads that share
 * the KV head (group * head_size floats at `query`, heads back to back) against positions
 * 0 ..< length (keys and values: head_size halves each, kv_stride halves apart). Writes the group's
 * outputs (group * head_size floats at `out`, heads back to back). `scores` has room for
 * group * length floats and `scratch_query` for group * head_size.
 */
typedef struct minnow_attention_problem {
    const float *query;
    const uint16_t *keys;
    const uint16_t *values;
    int64_t kv_stride;
    int64_t length;
    int64_t group;
    int64_t head_size;
    float scale;
    float *scores;
    float *scratch_query;
    float *out;
} minnow_attention_problem;

/* An attention kernel. */
typedef void (*minnow_attention_fn)(const minnow_attention_problem *problem);

/* The variant's attention kernel for an F16 cache and heads of `head_size`, or NULL. */
minnow_attention_fn minnow_attention_f16_kernel(int variant, int64_t head_size);

#ifdef __cplusplus
}
#endif

#endif
