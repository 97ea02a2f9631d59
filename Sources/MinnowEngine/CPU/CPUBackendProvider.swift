/// The built-in CPU backend as a ``BackendProvider``; also the way an app makes a CPU backend
/// (to wrap it, or with its own kernels).
public struct CPUBackendProvider: BackendProvider {
    /// `cpu`.
    public let name = "cpu"
    /// `CPU`.
    public let displayName = "CPU"
    /// Worker threads, the caller included (nil: one per core).
    public var threads: Int?
    /// The matrix kernels to choose from, one per weight type.
    public var kernels: CPUKernelRegistry
    /// The kernel variant to use (nil: `MINNOW_CPU_KERNELS`, or the best this CPU runs).
    public var variant: CPUKernelVariant?

    /// A provider of CPU backends with `threads` threads and the best kernels of `kernels`.
    public init(threads: Int? = nil, kernels: CPUKernelRegistry = .standard, variant: CPUKernelVariant? = nil) {
        self.threads = threads
        self.kernels = kernels
        self.variant = variant
    }

    /// ``BackendProbeResult/cpuScore`` when every weight type has a kernel and the variant runs
    /// on this CPU.
    public func probe(_ workload: BackendWorkload) -> BackendProbeResult {
        let resolved: ResolvedCPUKernels
        do {
            resolved = try kernels.resolve(forcing: variant ?? CPUKernelVariant.forced())
        } catch {
            return .cannotRun(reason: "\(error)")
        }
        if let type = workload.weightTypes.first(where: { resolved.kernel(for: $0) == nil }) {
            return .cannotRun(reason: "the CPU backend has no kernel for \(type.name) weights")
        }
        return .score(BackendProbeResult.cpuScore)
    }

    /// A CPU backend.
    /// - Throws: ``BackendError/unavailable(_:)`` when the variant is unknown or this CPU lacks it.
    public func makeBackend(for workload: BackendWorkload) throws -> any Backend {
        try makeBackend()
    }

    /// A CPU backend, for any workload.
    /// - Throws: ``BackendError/unavailable(_:)`` when the variant is unknown or this CPU lacks it.
    public func makeBackend() throws -> any Backend {
        try CPUBackend(threads: threads ?? CPUBackend.defaultThreadCount, kernels: kernels, variant: variant)
    }
}
