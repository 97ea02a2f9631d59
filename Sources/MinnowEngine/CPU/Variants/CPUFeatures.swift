import MinnowCPUKernels

/// The instruction-set features of this CPU that the kernel variants need, detected at run time
/// (`__builtin_cpu_supports` and XCR0 on x86, `getauxval` on Linux ARM, `sysctlbyname` on Apple).
public struct CPUFeatures: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32

    /// Creates a feature set from its bits (`MINNOW_FEATURE_*`).
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// AVX2, FMA and F16C, with the OS saving YMM state.
    public static let avx2 = CPUFeatures(rawValue: UInt32(MINNOW_FEATURE_AVX2))
    /// AVX-512 F/BW/VL with VNNI, with the OS saving ZMM state.
    public static let avx512VNNI = CPUFeatures(rawValue: UInt32(MINNOW_FEATURE_AVX512_VNNI))
    /// AArch64 Advanced SIMD with the dot-product extension.
    public static let neonDotProduct = CPUFeatures(rawValue: UInt32(MINNOW_FEATURE_NEON_DOTPROD))
    /// AArch64 int8 matrix multiply.
    public static let neonI8MM = CPUFeatures(rawValue: UInt32(MINNOW_FEATURE_NEON_I8MM))

    /// What this machine has.
    public static let current = CPUFeatures(rawValue: UInt32(minnow_cpu_features()))

    /// The features' names, such as `AVX2 AVX-512-VNNI`.
    public var names: [String] {
        var names: [String] = []
        if contains(.avx2) { names.append("AVX2") }
        if contains(.avx512VNNI) { names.append("AVX-512-VNNI") }
        if contains(.neonDotProduct) { names.append("NEON-dotprod") }
        if contains(.neonI8MM) { names.append("NEON-i8mm") }
        return names
    }
}
