import MinnowGGUF

/// The matrix kernels of the CPU backend: for each weight type an ordered list of kernels, each
/// with a name, the instruction-set variant (and so the CPU features) it needs and a priority.
/// ``resolve(forcing:features:)`` picks one per type when a backend is created.
///
/// An app adds its own kernels to a copy of ``standard`` and passes it to the CPU backend
/// (`LoadOptions(backend: .cpu(kernels:))` in `Minnow`, or ``CPUBackendProvider``). Priorities of
/// the standard kernels: portable 0, AVX2 and NEON 10, AVX-512 20; a kernel above them is used
/// for its type on every CPU that runs its ``CPUKernelVariant``.
public struct CPUKernelRegistry: Sendable {
    /// One registered kernel.
    public struct Entry: Sendable {
        /// A name for diagnostics, such as `avx512`.
        public var name: String
        /// Higher wins among the entries a CPU can run.
        public var priority: Int
        /// The kernel.
        public var kernel: CPUMatrixKernel
    }

    private var entries: [GGMLType: [Entry]] = [:]

    /// An empty registry.
    public init() {}

    /// Every kernel this build has: the portable Swift kernels (`QuantKernels`, else the
    /// dequantizing fallback) for every type, and the C variants (AVX2, AVX-512 VNNI, NEON) where
    /// they have a kernel for the type, whether or not this CPU runs them.
    public static var standard: CPUKernelRegistry {
        var registry = CPUKernelRegistry()
        for type in GGMLType.allCases {
            if QuantKernels.supports(type) {
                registry.register(.quantized(type), for: type, name: "portable", priority: 0)
            } else if Dequantizer.supports(type) && type != .q8_K && type != .q8_1 {
                registry.register(.dequantizing(type), for: type, name: "portable", priority: 0)
            }
            for variant in CPUKernelVariant.allCases {
                if let kernel = CPUMatrixKernel.native(variant, type) {
                    registry.register(kernel, for: type, name: variant.rawValue, priority: variant.priority)
                }
            }
        }
        return registry
    }

    /// Adds a kernel for `type`. Among kernels of equal priority the one registered last wins.
    public mutating func register(_ kernel: CPUMatrixKernel, for type: GGMLType, name: String, priority: Int) {
        entries[type, default: []].append(Entry(name: name, priority: priority, kernel: kernel))
    }

    /// Registers `kernel` for `type` above every kernel registered so far.
    public mutating func register(_ kernel: CPUMatrixKernel, for type: GGMLType) {
        let top = entries[type]?.map(\.priority).max() ?? 0
        register(kernel, for: type, name: kernel.variant.rawValue, priority: top + 1)
    }

    /// The entries for `type`, best first.
    public func entries(for type: GGMLType) -> [Entry] {
        (entries[type] ?? []).enumerated().sorted { a, b in
            a.element.priority != b.element.priority ? a.element.priority > b.element.priority : a.offset > b.offset
        }.map(\.element)
    }

    /// The weight types with a kernel.
    public var types: Set<GGMLType> { Set(entries.keys) }

    /// One kernel per type: the one of highest priority that a CPU with `features` runs; with
    /// `forced`, among that variant's kernels and the portable ones only (so the portable kernel
    /// runs for a type the variant has none for). A forced variant the CPU lacks is an error.
    public func resolve(forcing forced: CPUKernelVariant? = nil, features: CPUFeatures = .current) throws -> ResolvedCPUKernels {
        if let forced, !forced.runs(on: features) {
            let missing = forced.requiredFeatures.subtracting(features).names
            throw CPUKernelError.variantNotSupported(forced, missing: missing)
        }
        var chosen: [GGMLType: Entry] = [:]
        for type in entries.keys {
            let runnable = entries(for: type).filter { entry in
                let variant = entry.kernel.variant
                guard variant.runs(on: features) else { return false }
                guard let forced else { return true }
                return variant == forced || variant == .portable
            }
            if let pick = runnable.first { chosen[type] = pick }
        }
        return ResolvedCPUKernels(entries: chosen, forced: forced)
    }
}

/// The kernels a CPU backend runs: one per weight type, chosen once.
public struct ResolvedCPUKernels: Sendable {
    fileprivate let entries: [GGMLType: CPUKernelRegistry.Entry]
    /// The variant that was forced, if any.
    public let forced: CPUKernelVariant?

    /// The kernel for `type`, if any.
    public func kernel(for type: GGMLType) -> CPUMatrixKernel? { entries[type]?.kernel }

    /// The name of the kernel for `type`, if any.
    public func name(for type: GGMLType) -> String? { entries[type]?.name }

    /// The best variant among the chosen kernels of the quantized types, such as `avx512`
    /// (`portable` when every kernel is portable).
    public var variant: CPUKernelVariant {
        if let forced { return forced }
        let variants = Set(entries.values.map(\.kernel.variant))
        return [.avx512, .avx2, .neon].first { variants.contains($0) } ?? .portable
    }

    /// `type: name` for the given types, such as `Q4_K: avx512 (repacked), Q6_K: avx512`.
    public func summary(for types: [GGMLType]) -> String {
        types.compactMap { type in
            entries[type].map { "\(type.name): \($0.name)\($0.kernel.repacking != nil ? " (repacked)" : "")" }
        }.joined(separator: ", ")
    }
}

extension CPUKernelVariant {
    /// The registry priority of the standard kernels of this variant.
    package var priority: Int {
        switch self {
        case .portable: return 0
        case .avx2, .neon: return 10
        case .avx512: return 20
        }
    }
}
