import MinnowGGUF

extension CPUBackend {
    /// Any number of sequences, every op, and the weight types with a matrix kernel.
    public var capabilities: BackendCapabilities {
        BackendCapabilities(maxSequences: .max, weightTypes: Set(GGMLType.allCases.filter { kernels.kernel(for: $0) != nil }))
    }
}
