import MinnowGGUF

/// A compute backend: it owns its buffers, takes the weights once, keeps KV caches, and
/// executes graphs.
///
/// Apps supply their own backend through a ``BackendProvider``; see the article "Writing a
/// backend". A backend outside the package must treat op kinds and weight types it does not
/// know as unsupported (the default ``supports(_:weightType:)`` does), never trap on them.
///
/// The model code only builds ``Graph``s; a backend never knows which architecture produced
/// them. The CPU backend uses the weights in place from the memory map; a GPU
/// backend uploads them in ``loadWeights(_:)`` and keeps the KV cache in device memory.
public protocol Backend: AnyObject, Sendable {
    /// A short name, such as `cpu` or `vulkan`.
    var name: String { get }
    /// The device it runs on, in words (CPU model and SIMD features, or GPU and driver).
    var deviceDescription: String { get }
    /// What the backend can run, asked before a model is given to it: the most sequences one
    /// KV cache may hold, the op kinds and the weight types.
    var capabilities: BackendCapabilities { get }
    /// Whether the backend can run `op` (with weights of `weightType` where the op reads one).
    /// The default answers from ``capabilities``; an op kind it does not list (one added in a
    /// later version) is unsupported.
    func supports(_ op: OpKind, weightType: GGMLType?) -> Bool
    /// Prepares the weights for execution (uploading or repacking them); called once per model.
    func loadWeights(_ weights: WeightSet) throws -> any LoadedWeights
    /// Allocates a KV cache.
    func makeKVCache(_ spec: KVCacheSpec) throws -> any KVCacheStorage
    /// Runs `graph` on `inputs`, reading and extending `cache`, and returns the output tensor's
    /// values, row-major.
    func execute(_ graph: Graph, inputs: GraphInputs, weights: any LoadedWeights, cache: any KVCacheStorage) throws -> [Float]
}

extension Backend {
    /// Answers from ``capabilities``: the op kind must be listed, and an op that reads a
    /// weight needs its type among ``BackendCapabilities/weightTypes``.
    public func supports(_ op: OpKind, weightType: GGMLType?) -> Bool {
        let capabilities = self.capabilities
        guard capabilities.operations.contains(op) else { return false }
        guard let weightType else { return !OpKind.weighted.contains(op) }
        return capabilities.weightTypes.contains(weightType)
    }

    /// Throws ``BackendError/unsupported(op:weightType:backend:)`` for the first op of `graph`
    /// this backend cannot run.
    public func validate(_ graph: Graph, weights: WeightSet) throws {
        for node in graph.nodes {
            let type = node.op.weight.map { weights.info($0).type }
            if !supports(node.op.kind, weightType: type) {
                throw BackendError.unsupported(op: node.op.kind, weightType: type, backend: name)
            }
        }
    }
}
