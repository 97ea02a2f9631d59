import Foundation
import MinnowCPUKernels

/// An instruction-set variant of the CPU matrix kernels. The portable Swift SIMD kernels run on
/// every CPU; the others are C functions compiled for their instruction set and chosen at run
/// time when the CPU has the features.
public enum CPUKernelVariant: String, Sendable, CaseIterable, Hashable {
    /// Pure-Swift SIMD kernels: every CPU, and the reference the others are tested against.
    case portable
    /// AVX2, FMA and F16C (`vpmaddubsw`/`vpmaddwd`).
    case avx2
    /// AVX-512 F/BW/VL with VNNI (`vpdpbusd`).
    case avx512
    /// ARM NEON with the dot-product extension (`sdot`/`udot`).
    case neon

    /// The name of the environment variable that forces a variant.
    public static let environmentKey = "MINNOW_CPU_KERNELS"

    /// The C library's id of this variant (nil for the Swift kernels).
    package var cVariant: Int32? {
        switch self {
        case .portable: return nil
        case .avx2: return Int32(MINNOW_VARIANT_AVX2)
        case .avx512: return Int32(MINNOW_VARIANT_AVX512)
        case .neon: return Int32(MINNOW_VARIANT_NEON)
        }
    }

    /// The CPU features the variant needs.
    public var requiredFeatures: CPUFeatures {
        guard let cVariant else { return [] }
        return CPUFeatures(rawValue: UInt32(minnow_variant_features(cVariant)))
    }

    /// Whether a CPU with `features` can run the variant.
    public func runs(on features: CPUFeatures = .current) -> Bool {
        features.isSuperset(of: requiredFeatures)
    }

    /// The variants this CPU runs, best first.
    public static func supported(on features: CPUFeatures = .current) -> [CPUKernelVariant] {
        [.avx512, .avx2, .neon, .portable].filter { $0.runs(on: features) }
    }

    /// The variant forced by `MINNOW_CPU_KERNELS` in `environment`, or nil when it is unset or empty.
    /// An unknown name is an error.
    public static func forced(in environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CPUKernelVariant? {
        guard let value = environment[environmentKey]?.trimmingCharacters(in: .whitespaces).lowercased(),
              !value.isEmpty, value != "auto" else { return nil }
        guard let variant = CPUKernelVariant(rawValue: value) else {
            throw CPUKernelError.unknownVariant(value)
        }
        return variant
    }
}

/// Why the CPU backend's kernels could not be chosen.
public enum CPUKernelError: Error, Equatable, CustomStringConvertible {
    /// The name is none of the variants.
    case unknownVariant(String)
    /// The CPU lacks features the forced variant needs.
    case variantNotSupported(CPUKernelVariant, missing: [String])

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .unknownVariant(let name):
            let names = CPUKernelVariant.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown CPU kernel variant '\(name)' (\(CPUKernelVariant.environmentKey) takes \(names) or auto)"
        case .variantNotSupported(let variant, let missing):
            return "the \(variant.rawValue) CPU kernels need \(missing.joined(separator: ", ")), which this CPU lacks"
                + " (it runs: \(CPUKernelVariant.supported().map(\.rawValue).joined(separator: ", ")))"
        }
    }
}
