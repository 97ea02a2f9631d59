/* Scalar reference for the C kernel harness: see reference.h. Written from ggml's public block layouts. */
#include "reference.h"
#include "minnow_cpu_kernels.h"

#include <math.h>
#include <string.h>

float ref_half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) << 31, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff, bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent != 0) {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    } else if (mantissa == 0) {
        bits = sign;
    } else { /* subnormal: mantissa · 2^-24 */
        float v = (float)mantissa * (1.0f / 16777216.0f);
        memcpy(&bits, &v, 4);
        bits |= sign;
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

uint16_t ref_float_to_half(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000);
    uint32_t abs = bits & 0x7fffffffu;
    if (abs > 0x7f800000u) return sign | 0x7e00; /* NaN */
    if (abs >= 0x47800000u) return sign | 0x7c00; /* >= 65536: inf (after rounding anything >= 65520) */
    int32_t exponent = (int32_t)(abs >> 23) - 127;
    if (exponent < -25) return sign; /* below half the smallest subnormal */
    uint32_t mantissa = (abs & 0x7fffff) | 0x800000; /* 24 bits, value mantissa · 2^(exponent-23) */
    int shift; /* drop `shift` bits to land on the half grid */
    uint32_t base;
    if (exponent < -14) { /* subnormal half: units of 2^-24 */
        shift = -exponent - 14 + 13;
        base = 0;
    } else {
        shift = 13;
        base = (uint32_t)(exponent + 15) << 10;
        mantissa &= 0x7fffff;
    }
    uint32_t kept = mantissa >> shift, rest = mantissa & ((1u << shift) - 1), half = 1u << (shift - 1);
    if (rest > half || (rest == half && (kept & 1))) kept++;
    uint32_t result = base + kept; /* a mantissa carry walks into the exponent, as it should */
    if (result >= 0x7c00) result = 0x7c00;
    return (uint16_t)(sign | result);
}

int ref_block_elements(int type) {
    switch (type) {
    case MINNOW_TYPE_Q4_0: case MINNOW_TYPE_Q4_1: case MINNOW_TYPE_Q5_0: case MINNOW_TYPE_Q5_1:
    case MINNOW_TYPE_Q8_0: case MINNOW_TYPE_Q8_1: return 32;
    case MINNOW_TYPE_Q2_K: case MINNOW_TYPE_Q3_K: case MINNOW_TYPE_Q4_K: case MINNOW_TYPE_Q5_K:
    case MINNOW_TYPE_Q6_K: case MINNOW_TYPE_Q8_K: return 256;
    default: return 0;
    }
}

int ref_block_bytes(int type) {
    switch (type) {
    case MINNOW_TYPE_Q4_0: return 18;
    case MINNOW_TYPE_Q4_1: return 20;
    case MINNOW_TYPE_Q5_0: return 22;
    case MINNOW_TYPE_Q5_1: return 24;
    case MINNOW_TYPE_Q8_0: return 34;
    case MINNOW_TYPE_Q8_1: return 36;
    case MINNOW_TYPE_Q2_K: return 84;
    case MINNOW_TYPE_Q3_K: return 110;
    case MINNOW_TYPE_Q4_K: return 144;
    case MINNOW_TYPE_Q5_K: return 176;
    case MINNOW_TYPE_Q6_K: return 210;
    case MINNOW_TYPE_Q8_K: return 292;
    default: return 0;
    }
}

int ref_activation_type(int weight_type) {
    switch (weight_type) {
    case MINNOW_TYPE_Q4_0: case MINNOW_TYPE_Q5_0: case MINNOW_TYPE_Q8_0: return MINNOW_TYPE_Q8_0;
    case MINNOW_TYPE_Q4_1: case MINNOW_TYPE_Q5_1: return MINNOW_TYPE_Q8_1;
    case MINNOW_TYPE_Q2_K: case MINNOW_TYPE_Q3_K: case MINNOW_TYPE_Q4_K: case MINNOW_TYPE_Q5_K:
    case MINNOW_TYPE_Q6_K: return MINNOW_TYPE_Q8_K;
    default: return 0;
    }
}

int ref_half_fields(int type, int offsets[2]) {
    switch (type) {
    case MINNOW_TYPE_Q4_0: case MINNOW_TYPE_Q5_0: case MINNOW_TYPE_Q8_0: offsets[0] = 0; return 1;
    case MINNOW_TYPE_Q4_1: case MINNOW_TYPE_Q5_1: case MINNOW_TYPE_Q4_K: case MINNOW_TYPE_Q5_K:
        offsets[0] = 0; offsets[1] = 2; return 2;
    case MINNOW_TYPE_Q2_K: offsets[0] = 80; offsets[1] = 82; return 2;
    case MINNOW_TYPE_Q3_K: offsets[0] = 108; return 1;
    case MINNOW_TYPE_Q6_K: offsets[0] = 208; return 1;
    default: return 0;
    }
}

static float half_at(const uint8_t *p) { return ref_half_to_float((uint16_t)(p[0] | (p[1] << 8))); }
static uint32_t u32_at(const uint8_t *p) {
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static void put_half(uint8_t *p, float v) {
    uint16_t h = ref_float_to_half(v);
    p[0] = (uint8_t)h;
    p[1] = (uint8_t)(h >> 8);
}

/* Q4_K/Q5_K 6-bit scale and min j (0..7) from the 12-byte table. */
static void scale_min_k4(int j, const uint8_t *t, int *sc, int *m) {
    if (j < 4) {
        *sc = t[j] & 63;
        *m = t[j + 4] & 63;
    } else {
        *sc = (t[j + 4] & 0x0f) | ((t[j - 4] >> 6) << 4);
        *m = (t[j + 4] >> 4) | ((t[j] >> 6) << 4);
    }
}

/* Q3_K signed 6-bit scale k (0..15). */
static int q3_scale(int k, const uint8_t *t) {
    int low = (t[k & 7] >> (4 * (k >> 3))) & 0x0f;
    int high = (t[8 + (k & 3)] >> (2 * (k >> 2))) & 3;
    return (low | (high << 4)) - 32;
}

/*
 * One block of weights as two parts per element, w = scaled[i] + offset[i]: `scaled` is the scale
 * times the integer quant, `offset` the block's (or sub-block's) additive term (0 for the symmetric
 * formats). Doubles, from the block's f16 fields converted exactly.
 */
static void dequant_block(int type, const uint8_t *b, double *scaled, double *offset) {
    switch (type) {
    case MINNOW_TYPE_Q4_0: {
        double d = half_at(b);
        for (int j = 0; j < 16; j++) {
            scaled[j] = d * ((b[2 + j] & 0x0f) - 8);
            scaled[j + 16] = d * ((b[2 + j] >> 4) - 8);
        }
        for (int i = 0; i < 32; i++) offset[i] = 0;
        break;
    }
    case MINNOW_TYPE_Q4_1: {
        double d = half_at(b), m = half_at(b + 2);
        for (int j = 0; j < 16; j++) {
            scaled[j] = d * (b[4 + j] & 0x0f);
            scaled[j + 16] = d * (b[4 + j] >> 4);
        }
        for (int i = 0; i < 32; i++) offset[i] = m;
        break;
    }
    case MINNOW_TYPE_Q5_0: {
        double d = half_at(b);
        uint32_t qh = u32_at(b + 2);
        for (int j = 0; j < 16; j++) {
            int h0 = (qh >> j) & 1, h1 = (qh >> (j + 16)) & 1;
            scaled[j] = d * (((b[6 + j] & 0x0f) | (h0 << 4)) - 16);
            scaled[j + 16] = d * (((b[6 + j] >> 4) | (h1 << 4)) - 16);
        }
        for (int i = 0; i < 32; i++) offset[i] = 0;
        break;
    }
    case MINNOW_TYPE_Q5_1: {
        double d = half_at(b), m = half_at(b + 2);
        uint32_t qh = u32_at(b + 4);
        for (int j = 0; j < 16; j++) {
            int h0 = (qh >> j) & 1, h1 = (qh >> (j + 16)) & 1;
            scaled[j] = d * ((b[8 + j] & 0x0f) | (h0 << 4));
            scaled[j + 16] = d * ((b[8 + j] >> 4) | (h1 << 4));
        }
        for (int i = 0; i < 32; i++) offset[i] = m;
        break;
    }
    case MINNOW_TYPE_Q8_0: {
        double d = half_at(b);
        for (int i = 0; i < 32; i++) {
            scaled[i] = d * (int8_t)b[2 + i];
            offset[i] = 0;
        }
        break;
    }
    case MINNOW_TYPE_Q2_K: {
        double d = half_at(b + 80), dmin = half_at(b + 82);
        for (int i = 0; i < 256; i++) {
            int sc = b[i >> 4];
            int q = (b[16 + 32 * (i >> 7) + (i & 31)] >> (2 * ((i >> 5) & 3))) & 3;
            scaled[i] = d * (sc & 0x0f) * q;
            offset[i] = -dmin * (sc >> 4);
        }
        break;
    }
    case MINNOW_TYPE_Q3_K: {
        double d = half_at(b + 108);
        for (int i = 0; i < 256; i++) {
            int group = (i >> 5) & 3;
            int low = (b[32 + 32 * (i >> 7) + (i & 31)] >> (2 * group)) & 3;
            int high = (b[i & 31] >> (4 * (i >> 7) + group)) & 1;
            scaled[i] = d * q3_scale(i >> 4, b + 96) * (low - (high ? 0 : 4));
            offset[i] = 0;
        }
        break;
    }
    case MINNOW_TYPE_Q4_K:
    case MINNOW_TYPE_Q5_K: {
        double d = half_at(b), dmin = half_at(b + 2);
        int five = type == MINNOW_TYPE_Q5_K;
        const uint8_t *qs = b + (five ? 48 : 16), *qh = b + 16;
        for (int j = 0; j < 4; j++) {
            int sc0, m0, sc1, m1;
            scale_min_k4(2 * j, b + 4, &sc0, &m0);
            scale_min_k4(2 * j + 1, b + 4, &sc1, &m1);
            for (int l = 0; l < 32; l++) {
                int q0 = qs[32 * j + l] & 0x0f, q1 = qs[32 * j + l] >> 4;
                if (five) {
                    q0 |= ((qh[l] >> (2 * j)) & 1) << 4;
                    q1 |= ((qh[l] >> (2 * j + 1)) & 1) << 4;
                }
                scaled[64 * j + l] = d * sc0 * q0;
                offset[64 * j + l] = -dmin * m0;
                scaled[64 * j + 32 + l] = d * sc1 * q1;
                offset[64 * j + 32 + l] = -dmin * m1;
            }
        }
        break;
    }
    case MINNOW_TYPE_Q6_K: {
        double d = half_at(b + 208);
        for (int i = 0; i < 256; i++) {
            int h = i >> 7, s = (i >> 5) & 3, l = i & 31;
            int low = (b[64 * h + 32 * (s & 1) + l] >> (4 * (s >> 1))) & 0x0f;
            int high = (b[128 + 32 * h + l] >> (2 * s)) & 3;
            scaled[i] = d * (int8_t)b[192 + (i >> 4)] * ((low | (high << 4)) - 32);
            offset[i] = 0;
        }
        break;
    }
    default:
        for (int i = 0; i < 256; i++) scaled[i] = offset[i] = 0;
    }
}

void ref_dequantize_row(int type, const void *src, int64_t count, float *out) {
    int n = ref_block_elements(type), bytes = ref_block_bytes(type);
    double scaled[256], offset[256];
    for (int64_t b = 0; b < count / n; b++) {
        dequant_block(type, (const uint8_t *)src + b * bytes, scaled, offset);
        for (int i = 0; i < n; i++) out[b * n + i] = (float)(scaled[i] + offset[i]);
    }
}

void ref_quantize_activations(int act_type, const float *x, int64_t count, void *dst) {
    uint8_t *out = dst;
    if (act_type == MINNOW_TYPE_Q8_K) {
        for (int64_t b = 0; b < count / 256; b++, x += 256, out += 292) {
            float amax = 0, max = 0;
            for (int i = 0; i < 256; i++) {
                if (fabsf(x[i]) > amax) { amax = fabsf(x[i]); max = x[i]; }
            }
            int8_t qs[256];
            float d = 0;
            if (amax == 0) {
                memset(qs, 0, sizeof qs);
            } else {
                float iscale = -127.f / max;
                for (int i = 0; i < 256; i++) {
                    int v = (int)lrintf(iscale * x[i]);
                    qs[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
                }
                d = 1 / iscale;
            }
            memcpy(out, &d, 4);
            memcpy(out + 4, qs, 256);
            for (int k = 0; k < 16; k++) {
                int16_t sum = 0;
                for (int i = 0; i < 16; i++) sum = (int16_t)(sum + qs[16 * k + i]);
                out[260 + 2 * k] = (uint8_t)sum;
                out[261 + 2 * k] = (uint8_t)((uint16_t)sum >> 8);
            }
        }
        return;
    }
    int with_sum = act_type == MINNOW_TYPE_Q8_1, bytes = with_sum ? 36 : 34, qs_at = with_sum ? 4 : 2;
    for (int64_t b = 0; b < count / 32; b++, x += 32, out += bytes) {
        float amax = 0;
        for (int i = 0; i < 32; i++) amax = fmaxf(amax, fabsf(x[i]));
        float d = amax / 127, id = d != 0 ? 1 / d : 0;
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            int v = (int)lrintf(x[i] * id);
            v = v > 127 ? 127 : v < -127 ? -127 : v;
            out[qs_at + i] = (uint8_t)(int8_t)v;
            sum += v;
        }
        put_half(out, d);
        if (with_sum) put_half(out + 2, d * (float)sum);
    }
}

double ref_dot(int type, const void *w, const void *a, int64_t count, double *magnitude) {
    int n = ref_block_elements(type), wbytes = ref_block_bytes(type);
    int act = ref_activation_type(type), abytes = ref_block_bytes(act);
    double scaled[256], offset[256], total = 0, mag = 0;
    for (int64_t b = 0; b < count / n; b++) {
        const uint8_t *wb = (const uint8_t *)w + b * wbytes, *ab = (const uint8_t *)a + b * abytes;
        dequant_block(type, wb, scaled, offset);
        double da;
        const int8_t *qa;
        if (act == MINNOW_TYPE_Q8_K) {
            float f;
            memcpy(&f, ab, 4);
            da = f;
            qa = (const int8_t *)(ab + 4);
        } else {
            da = half_at(ab);
            qa = (const int8_t *)(ab + (act == MINNOW_TYPE_Q8_1 ? 4 : 2));
        }
        for (int i = 0; i < n; i++) {
            double x = da * qa[i];
            total += scaled[i] * x;
            mag += fabs(scaled[i] * x);
            if (act != MINNOW_TYPE_Q8_1) {
                total += offset[i] * x;
                mag += fabs(offset[i] * x);
            }
        }
        if (act == MINNOW_TYPE_Q8_1) { /* Σ m · x over the block is m · s, s as stored */
            double s = half_at(ab + 2);
            total += offset[0] * s;
            mag += fabs(offset[0] * s);
        }
    }
    if (magnitude) *magnitude = mag;
    return total;
}
