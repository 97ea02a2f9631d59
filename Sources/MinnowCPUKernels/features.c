/* Run-time CPU feature detection: which variants this CPU and its OS can run. */
#include "include/minnow_cpu_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

/* XCR0 (which register state the OS saves), or 0 when the OS has not enabled XSAVE. */
static uint64_t minnow_xcr0(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27))) return 0; /* OSXSAVE */
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static unsigned minnow_detect(void) {
    __builtin_cpu_init();
    uint64_t xcr0 = minnow_xcr0();
    int ymm = (xcr0 & 0x6) == 0x6;             /* SSE and AVX state */
    int zmm = ymm && (xcr0 & 0xE0) == 0xE0;    /* opmask, ZMM_Hi256, Hi16_ZMM state */
    unsigned features = 0;
    if (ymm && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
        features |= MINNOW_FEATURE_AVX2;
        if (zmm && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni")) {
            features |= MINNOW_FEATURE_AVX512_VNNI;
        }
    }
    return features;
}

#elif defined(__aarch64__) && defined(__APPLE__)
#include <sys/sysctl.h>

static int minnow_sysctl_flag(const char *name) {
    int value = 0;
    size_t size = sizeof(value);
    if (sysctlbyname(name, &value, &size, 0, 0) != 0) return 0;
    return value != 0;
}

static unsigned minnow_detect(void) {
    unsigned features = 0;
    if (minnow_sysctl_flag("hw.optional.arm.FEAT_DotProd")) features |= MINNOW_FEATURE_NEON_DOTPROD;
    if (minnow_sysctl_flag("hw.optional.arm.FEAT_I8MM")) features |= MINNOW_FEATURE_NEON_I8MM;
    return features;
}

#elif defined(__aarch64__) && defined(__linux__)
#include <sys/auxv.h>

static unsigned minnow_detect(void) {
    unsigned long hwcap = getauxval(AT_HWCAP), hwcap2 = getauxval(AT_HWCAP2);
    unsigned features = 0;
    if (hwcap & (1ul << 20)) features |= MINNOW_FEATURE_NEON_DOTPROD; /* HWCAP_ASIMDDP */
    if (hwcap2 & (1ul << 13)) features |= MINNOW_FEATURE_NEON_I8MM;   /* HWCAP2_I8MM */
    return features;
}

#else
static unsigned minnow_detect(void) { return 0; }
#endif

unsigned minnow_cpu_features(void) {
    /* Idempotent: racing first calls compute the same value. */
    static volatile int known = 0;
    static volatile unsigned cached = 0;
    if (!known) {
        cached = minnow_detect();
        __atomic_store_n(&known, 1, __ATOMIC_RELEASE);
    }
    return cached;
}
