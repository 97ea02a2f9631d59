/*
 * Standalone check of Minnow's C CPU kernels (Sources/MinnowCPUKernels) against a scalar
 * double-precision reference, plus the header's batch-invariance rule. Portable C11: no
 * intrinsics, so that it also runs cross-compiled (e.g. under qemu-aarch64).
 *
 *   Scripts/check-c-kernels.sh            run every check
 *   Scripts/check-c-kernels.sh --bench    single-thread weight throughput (GB/s)
 *
 * For each variant the CPU supports and each weight type it has a kernel for (ggml's row layout,
 * then the repacked layout when there is one), random weights (random bytes, the f16 scale fields
 * replaced by random halfs of magnitude 1e-3..1e-1) meet random activations of several
 * distributions quantized to the type's activation format (Q8_0, Q8_1 or Q8_K).
 *
 * Accuracy: |got - ref| <= 1e-4 * Σ|terms| + 1e-6, where ref is the dot product in double from
 * the same quantized bytes and Σ|terms| the sum of the magnitudes of its product terms (see
 * ref_dot). The kernels' integer sums are exact, so the tolerance only absorbs float rounding.
 *
 * Batch invariance: every call shape (activation_rows 1, 3, 4, 5, 8, 13 at several activation
 * offsets, several row ranges) must give bit-identical outputs to the 40 x 13 full call.
 */
#define _POSIX_C_SOURCE 199309L
#include "minnow_cpu_kernels.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROWS 40
#define AROWS 13

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng_next(void) {
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}
static double rng_uniform(void) { return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0); } /* [0, 1) */
static double rng_gauss(void) {
    double u = rng_uniform() + 1e-300, v = rng_uniform();
    return sqrt(-2 * log(u)) * cos(6.283185307179586 * v);
}

static const struct { int type; const char *name; } types[] = {
    {MINNOW_TYPE_Q4_0, "Q4_0"}, {MINNOW_TYPE_Q4_1, "Q4_1"}, {MINNOW_TYPE_Q5_0, "Q5_0"},
    {MINNOW_TYPE_Q5_1, "Q5_1"}, {MINNOW_TYPE_Q8_0, "Q8_0"}, {MINNOW_TYPE_Q2_K, "Q2_K"},
    {MINNOW_TYPE_Q3_K, "Q3_K"}, {MINNOW_TYPE_Q4_K, "Q4_K"}, {MINNOW_TYPE_Q5_K, "Q5_K"},
    {MINNOW_TYPE_Q6_K, "Q6_K"},
};
static const struct { int variant; const char *name; } variants[] = {
    {MINNOW_VARIANT_AVX2, "avx2"}, {MINNOW_VARIANT_AVX512, "avx512"}, {MINNOW_VARIANT_NEON, "neon"},
};

static void *xalloc(size_t bytes) {
    void *p = NULL;
    size_t rounded = (bytes + 63) / 64 * 64 + 64;
    p = aligned_alloc(64, rounded);
    if (!p) { fprintf(stderr, "out of memory\n"); exit(2); }
    memset(p, 0, rounded);
    return p;
}

/* Random weight rows: random bytes with sane f16 scales. */
static void make_weights(int type, uint8_t *w, int64_t rows, int64_t row_bytes) {
    int offsets[2], fields = ref_half_fields(type, offsets), bytes = ref_block_bytes(type);
    for (int64_t i = 0; i < rows * row_bytes; i++) w[i] = (uint8_t)rng_next();
    for (int64_t b = 0; b < rows * row_bytes / bytes; b++) {
        for (int f = 0; f < fields; f++) {
            double magnitude = exp(log(1e-3) + rng_uniform() * (log(1e-1) - log(1e-3)));
            uint16_t h = ref_float_to_half((float)(rng_next() & 1 ? magnitude : -magnitude));
            w[b * bytes + offsets[f]] = (uint8_t)h;
            w[b * bytes + offsets[f] + 1] = (uint8_t)(h >> 8);
        }
    }
}

/* One activation row of distribution `kind`. */
static void make_activation_floats(int kind, float *x, int64_t count) {
    for (int64_t i = 0; i < count; i++) {
        double v;
        switch (kind % 6) {
        case 0: v = rng_uniform() * 2 - 1; break;
        case 1: v = rng_gauss(); break;
        case 2: v = rng_gauss() * (rng_uniform() < 0.01 ? 300 : 1); break; /* outliers */
        case 3: v = rng_uniform() * 5; break;                               /* all positive */
        case 4: v = rng_gauss() * 1e-3 * ((i / 32) % 3 == 0 ? 0 : 1); break; /* small, zero blocks */
        default: v = -rng_uniform() * 40; break;                             /* all negative */
        }
        x[i] = (float)v;
    }
}

typedef struct {
    minnow_dot_fn fn;
    const uint8_t *weights; /* first weight row (or group of 8) of the call */
    int64_t row_stride, rows;
    const uint8_t *acts;
    int64_t act_stride, act_rows, count;
} call_t;

/* Runs one call into a fresh buffer with padded output stride; checks the padding is untouched. */
static int run_call(const call_t *c, float *out, int64_t out_stride) {
    size_t n = (size_t)(c->act_rows * out_stride);
    for (size_t i = 0; i < n; i++) out[i] = -12345.5f;
    minnow_dot_problem p = {c->weights, c->row_stride, c->rows, c->acts, c->act_stride, c->act_rows, c->count, out, out_stride};
    c->fn(&p);
    for (int64_t a = 0; a < c->act_rows; a++) {
        for (int64_t r = c->rows; r < out_stride; r++) {
            if (out[a * out_stride + r] != -12345.5f) return 0;
        }
    }
    return 1;
}

typedef struct { int passed, failed; } tally_t;

/* Checks one (variant, type, layout). `repacked`: weights go through minnow_repack. */
static void check_one(const char *vname, const char *tname, int type, minnow_dot_fn fn, int repacked, tally_t *tally) {
    int is_k = ref_block_elements(type) == 256;
    const int64_t counts[2] = {is_k ? 256 : 64, is_k ? 2304 : 896};
    int act = ref_activation_type(type);
    int ok = 1;
    double worst = 0;
    char why[256] = "";
    for (int ci = 0; ci < 2 && ok; ci++) {
        int64_t count = counts[ci];
        int64_t row_bytes = count / ref_block_elements(type) * ref_block_bytes(type);
        int64_t act_row_bytes = count / ref_block_elements(act) * ref_block_bytes(act);
        /* Activation rows padded (2 or 4 bytes) and misaligned so blocks sit off 64-byte lines. */
        int64_t act_stride = act_row_bytes + (act == MINNOW_TYPE_Q8_K ? 4 : 2);
        uint8_t *w = xalloc((size_t)(ROWS * row_bytes));
        uint8_t *abuf = xalloc((size_t)(AROWS * act_stride + 8));
        uint8_t *acts = abuf + (act == MINNOW_TYPE_Q8_K ? 4 : 2);
        float *x = xalloc((size_t)count * sizeof(float));
        make_weights(type, w, ROWS, row_bytes);
        for (int a = 0; a < AROWS; a++) {
            make_activation_floats(a + ci, x, count);
            ref_quantize_activations(act, x, count, acts + a * act_stride);
        }

        const uint8_t *kw = w;
        int64_t krow_stride = row_bytes;
        uint8_t *packed = NULL;
        if (repacked) {
            krow_stride = minnow_repacked_row_bytes(type, count);
            packed = xalloc((size_t)(ROWS * krow_stride));
            if (minnow_repack(type, w, row_bytes, ROWS, count, packed) != 0) {
                snprintf(why, sizeof why, "minnow_repack failed (count %lld)", (long long)count);
                ok = 0;
            }
            kw = packed;
        }

        const int64_t full_stride = ROWS + 3;
        float *full = xalloc((size_t)(AROWS * full_stride) * sizeof(float));
        float *part = xalloc((size_t)(AROWS * (ROWS + 5)) * sizeof(float));
        call_t c = {fn, kw, krow_stride, ROWS, acts, act_stride, AROWS, count};
        if (ok && !run_call(&c, full, full_stride)) {
            snprintf(why, sizeof why, "wrote outside its outputs (count %lld)", (long long)count);
            ok = 0;
        }
        for (int r = 0; r < ROWS && ok; r++) {
            for (int a = 0; a < AROWS && ok; a++) {
                double mag, ref = ref_dot(type, w + r * row_bytes, acts + a * act_stride, count, &mag);
                double got = full[a * full_stride + r], err = fabs(got - ref);
                double rel = err / (mag + 1e-30);
                if (rel > worst || isnan(got)) worst = isnan(got) ? INFINITY : rel;
                if (!(err <= 1e-4 * mag + 1e-6)) {
                    snprintf(why, sizeof why, "count %lld row %d act %d: got %.9g want %.9g (scale %.3g)",
                             (long long)count, r, a, got, ref, mag);
                    ok = 0;
                }
            }
        }

        /* Batch invariance. Row ranges: (start, rows). Repacked ranges start at multiples of 8. */
        static const int plain_ranges[][2] = {{0, ROWS}, {8, 16}, {3, 7}, {39, 1}, {1, 38}};
        static const int packed_ranges[][2] = {{0, ROWS}, {8, 16}, {16, 8}, {32, 8}};
        static const int arows[] = {1, 3, 4, 5, 8, 13};
        int nranges = repacked ? 4 : 5;
        for (int ri = 0; ri < nranges && ok; ri++) {
            int start = repacked ? packed_ranges[ri][0] : plain_ranges[ri][0];
            int nrows = repacked ? packed_ranges[ri][1] : plain_ranges[ri][1];
            for (int ai = 0; ai < 6 && ok; ai++) {
                int na = arows[ai];
                int astarts[3] = {0, AROWS - na, (AROWS - na) / 2};
                for (int si = 0; si < 3 && ok; si++) {
                    int a0 = astarts[si];
                    call_t pc = {fn, kw + start * krow_stride, krow_stride, nrows, acts + a0 * act_stride,
                                 act_stride, na, count};
                    int64_t out_stride = nrows + 5;
                    if (!run_call(&pc, part, out_stride)) {
                        snprintf(why, sizeof why, "rows %d+%d x act %d+%d wrote outside its outputs", start, nrows, a0, na);
                        ok = 0;
                        break;
                    }
                    for (int a = 0; a < na && ok; a++) {
                        for (int r = 0; r < nrows && ok; r++) {
                            float g = part[a * out_stride + r], f = full[(a0 + a) * full_stride + start + r];
                            if (memcmp(&g, &f, sizeof g) != 0) {
                                snprintf(why, sizeof why,
                                         "not batch-invariant: count %lld, call rows %d+%d x act %d+%d: "
                                         "row %d act %d gave %.9g, full call %.9g",
                                         (long long)count, start, nrows, a0, na, start + r, a0 + a, g, f);
                                ok = 0;
                            }
                        }
                    }
                }
            }
        }
        free(w); free(abuf); free(x); free(packed); free(full); free(part);
    }
    printf("%s %-6s %-4s %-8s max rel err %.3g%s%s\n", ok ? "PASS" : "FAIL", vname, tname,
           repacked ? "repacked" : "plain", worst, ok ? "" : ": ", why);
    if (ok) tally->passed++; else tally->failed++;
}

static const char *missing_features(unsigned need, unsigned have) {
    static char buf[128];
    buf[0] = 0;
    unsigned lack = need & ~have;
    if (lack & MINNOW_FEATURE_AVX2) strcat(buf, " AVX2/FMA/F16C");
    if (lack & MINNOW_FEATURE_AVX512_VNNI) strcat(buf, " AVX512F/BW/VL/VNNI");
    if (lack & MINNOW_FEATURE_NEON_DOTPROD) strcat(buf, " NEON-dotprod");
    if (lack & MINNOW_FEATURE_NEON_I8MM) strcat(buf, " NEON-i8mm");
    return buf;
}

/* This thread's CPU time: the numbers hold up on a busy machine (cache sharing aside). */
static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* GB/s of weight bytes (per second of this thread's CPU time), one thread, for an 8960 x 1536 matrix. */
static void bench(void) {
    const int64_t rows = 8960, count = 1536;
    static const int btypes[] = {MINNOW_TYPE_Q4_K, MINNOW_TYPE_Q6_K};
    static const char *bnames[] = {"Q4_K", "Q6_K"};
    unsigned have = minnow_cpu_features();
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        if ((minnow_variant_features(variants[v].variant) & ~have) != 0) continue;
        for (int t = 0; t < 2; t++) {
            int type = btypes[t], act = ref_activation_type(type);
            int64_t row_bytes = count / 256 * ref_block_bytes(type), act_bytes = count / 256 * ref_block_bytes(act);
            uint8_t *w = xalloc((size_t)(rows * row_bytes));
            make_weights(type, w, rows, row_bytes);
            uint8_t *acts = xalloc((size_t)(64 * act_bytes));
            float *x = xalloc((size_t)count * sizeof(float));
            for (int a = 0; a < 64; a++) {
                make_activation_floats(a, x, count);
                ref_quantize_activations(act, x, count, acts + a * act_bytes);
            }
            float *out = xalloc((size_t)(64 * rows) * sizeof(float));
            for (int layout = 0; layout < 2; layout++) {
                minnow_dot_fn fn = layout ? minnow_repacked_dot_kernel(variants[v].variant, type)
                                          : minnow_dot_kernel(variants[v].variant, type);
                if (!fn) continue;
                const uint8_t *kw = w;
                int64_t stride = row_bytes;
                uint8_t *packed = NULL;
                if (layout) {
                    stride = minnow_repacked_row_bytes(type, count);
                    if (stride <= 0) continue;
                    packed = xalloc((size_t)(rows * stride));
                    if (minnow_repack(type, w, row_bytes, rows, count, packed) != 0) { free(packed); continue; }
                    kw = packed;
                }
                static const int nacts[] = {1, 64};
                for (int ni = 0; ni < 2; ni++) {
                    minnow_dot_problem p = {kw, stride, rows, acts, act_bytes, nacts[ni], count, out, rows};
                    fn(&p);
                    int reps = 0;
                    double t0 = now_seconds(), elapsed;
                    do {
                        fn(&p);
                        reps++;
                        elapsed = now_seconds() - t0;
                    } while (elapsed < 0.5);
                    double gbs = (double)(rows * row_bytes) * reps / elapsed / 1e9;
                    printf("bench %-6s %s %-8s %5lldx%lld acts %2d: %7.2f GB/s of weights (%.3f ms/call)\n",
                           variants[v].name, bnames[t], layout ? "repacked" : "plain", (long long)rows,
                           (long long)count, nacts[ni], gbs, 1e3 * elapsed / reps);
                }
                free(packed);
            }
            free(w); free(acts); free(x); free(out);
        }
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "--bench") == 0) {
        bench();
        return 0;
    }
    unsigned have = minnow_cpu_features();
    tally_t tally = {0, 0};
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        unsigned need = minnow_variant_features(variants[v].variant);
        if ((need & ~have) != 0) {
            printf("skip %s: CPU lacks%s\n", variants[v].name, missing_features(need, have));
            continue;
        }
        for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
            int type = types[t].type;
            minnow_dot_fn plain = minnow_dot_kernel(variants[v].variant, type);
            if (plain) check_one(variants[v].name, types[t].name, type, plain, 0, &tally);
            else printf("skip %s %s plain: no kernel\n", variants[v].name, types[t].name);
            minnow_dot_fn packed = minnow_repacked_dot_kernel(variants[v].variant, type);
            int is_k = ref_block_elements(type) == 256;
            if (packed && minnow_repacked_row_bytes(type, is_k ? 256 : 64) > 0 &&
                minnow_repacked_row_bytes(type, is_k ? 2304 : 896) > 0) {
                check_one(variants[v].name, types[t].name, type, packed, 1, &tally);
            }
        }
    }
    printf("%d passed, %d failed\n", tally.passed, tally.failed);
    return tally.failed ? 1 : 0;
}
