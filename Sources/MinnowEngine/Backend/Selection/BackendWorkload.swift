import MinnowGGUF

/// What a backend is asked to run, shown to each ``BackendProvider`` before one is chosen: the
/// model's one-token graph (every op kind it uses), its weights, and the KV cache a session
/// will make.
public struct BackendWorkload: Sendable {
    /// The forward pass for one token.
    public let graph: Graph
    /// The model's weights, as the file holds them.
    public let weights: WeightSet
    /// The KV cache of one session.
    public let cache: KVCacheSpec

    /// A workload.
    public init(graph: Graph, weights: WeightSet, cache: KVCacheSpec) {
        self.graph = graph
        self.weights = weights
        self.cache = cache
    }

    /// The weight types the graph's ops read.
    public var weightTypes: Set<GGMLType> {
        Set(graph.nodes.compactMap { $0.op.weight.map { weights.info($0).type } })
    }

    /// The op kinds of the graph.
    public var operations: Set<OpKind> { Set(graph.nodes.map(\.op.kind)) }

    /// Why `capabilities` cannot run this workload (the first op kind or weight type missing),
    /// or nil when they can.
    public func shortfall(of capabilities: BackendCapabilities) -> String? {
        if let op = operations.subtracting(capabilities.operations).sorted(by: { $0.rawValue < $1.rawValue }).first {
            return "no \(op.rawValue) op"
        }
        if let type = weightTypes.subtracting(capabilities.weightTypes).sorted(by: { $0.rawValue < $1.rawValue }).first {
            return "no kernel for \(type.name) weights"
        }
        return nil
    }
}
