/*
 * Scalar reference code for the C kernel harness (Tests/CKernelCheck): ggml block layouts
 * dequantized in plain C, the activation quantizers (Q8_0, Q8_1, Q8_K) and a double-precision
 * dot product over the same bytes the kernels read. Portable C11, no intrinsics.
 */
#ifndef MINNOW_CKERNELCHECK_REFERENCE_H
#define MINNOW_CKERNELCHECK_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

float ref_half_to_float(uint16_t h);
uint16_t ref_float_to_half(float f); /* round to nearest even, overflow to inf */

/* Elements per block (32 or 256) and bytes per block of a weight or activation type; 0 if unknown. */
int ref_block_elements(int type);
int ref_block_bytes(int type);
/* The activation format (MINNOW_TYPE_Q8_0, _Q8_1 or _Q8_K) the kernels for weight `type` read. */
int ref_activation_type(int weight_type);
/* Byte offsets of the f16 scale fields in one block of `type` (at most 2); returns how many. */
int ref_half_fields(int type, int offsets[2]);

/* Dequantizes `count` elements (whole blocks) of weight `type` at `src` into `out`. */
void ref_dequantize_row(int type, const void *src, int64_t count, float *out);

/* Quantizes `count` floats into activation format `act_type` (Q8_0, Q8_1 or Q8_K). */
void ref_quantize_activations(int act_type, const float *x, int64_t count, void *dst);

/*
 * Σ over the row of dequant(w) · dequant(a), in double, from the bytes of one weight row of `type`
 * and one activation row in the matching format. For Q4_1/Q5_1 weights (Q8_1 activations) the
 * offset term is m · s with the activation block's stored s, exactly as the format defines it.
 * *magnitude receives Σ|each product term| (offset terms counted separately), the scale the
 * harness's tolerance is relative to.
 */
double ref_dot(int type, const void *w, const void *a, int64_t count, double *magnitude);

#endif
