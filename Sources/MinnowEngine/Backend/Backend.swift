import MinnowGGUF

/// A compute backend: it owns its buffers, takes the weights once, keeps KV caches, and
/// executes graphs.
///
/// The model code only builds ``Graph``s; a backend never knows which architecture produced
/// them. The CPU backend (``CPUBackend``) uses the weights in place from the memory map; a GPU
/// backend uploads them in ``loadWeights(_:)`` and keeps the KV cache in device memory.
package protocol Backend: AnyObject, Sendable {
    /// A short name, such as `cpu` or `vulkan`.
    var name: String { get }
    /// The device it runs on, in words (CPU model and SIMD features, or GPU and driver).
    var deviceDescription: String { get }
    /// Whether the backend can run `op` (with weights of `weightType` where the op reads one).
    func supports(_ op: OpKind, weightType: GGMLType?) -> Bool
    /// Prepares the weights for execution (uploading or repacking them); called once per model.
    func loadWeights(_ weights: WeightSet) throws -> any LoadedWeights
    /// Allocates a KV cache.
    func makeKVCache(_ spec: KVCacheSpec) throws -> any KVCacheStorage
    /// Runs `graph` on `inputs`, reading and extending `cache`, and returns the output tensor's
    /// values, row-major.
    func execute(_ graph: Graph, inputs: GraphInputs, weights: any LoadedWeights, cache: any KVCacheStorage) throws -> [Float]
}

/// Weights a backend has prepared. Opaque to the model code.
package protocol LoadedWeights: AnyObject, Sendable {
    /// The weights as the model file holds them.
    var source: WeightSet { get }
}

/// A backend's KV cache storage. Opaque to the model code.
package protocol KVCacheStorage: AnyObject {
    /// Its layout.
    var spec: KVCacheSpec { get }
}

/// The element type of the KV cache.
package enum KVCacheType: String, Sendable, CaseIterable {
    /// Half precision: the default, as llama.cpp's.
    case f16
    /// Single precision.
    case f32

    /// Bytes per element.
    package var bytes: Int { self == .f16 ? 2 : 4 }
}

/// The layout of a KV cache.
package struct KVCacheSpec: Sendable, Equatable {
    /// Number of layers.
    package var layers: Int
    /// Values per position and layer for keys (and for values): kvHeads × headSize.
    package var width: Int
    /// Number of positions it holds, per sequence.
    package var capacity: Int
    /// Element type.
    package var type: KVCacheType
    /// Number of independent sequences it holds, each with `capacity` positions.
    package var sequences: Int

    /// Creates a layout.
    package init(layers: Int, width: Int, capacity: Int, type: KVCacheType, sequences: Int = 1) {
        self.layers = layers
        self.width = width
        self.capacity = capacity
        self.type = type
        self.sequences = sequences
    }

    /// Total bytes of keys and values.
    package var byteCount: Int { 2 * layers * sequences * width * capacity * type.bytes }
}

/// Errors a backend raises.
package enum BackendError: Error, CustomStringConvertible, Equatable {
    /// The backend cannot run this op on this weight type.
    case unsupported(op: OpKind, weightType: GGMLType?, backend: String)
    /// A weight's bytes do not match its description (the file's tensor data is cut or corrupt).
    case badWeight(name: String, reason: String)
    /// The cache or the weights were made by another backend.
    case foreignObject(String)
    /// A token id outside the embedding table.
    case invalidToken(Int32)
    /// A position beyond the cache's capacity.
    case cacheOverflow(position: Int, capacity: Int)
    /// The backend is not available on this machine.
    case unavailable(String)
    /// The backend evaluates one sequence at a time; a multi-sequence cache or batch was asked for.
    case multipleSequences(backend: String)
    /// A row of the inputs names a sequence the cache does not have.
    case unknownSequence(Int, sequences: Int)

    /// A one-line explanation.
    package var description: String {
        switch self {
        case .unsupported(let op, let type, let backend):
            if let type { return "the \(backend) backend cannot run \(op.rawValue) with \(type.name) weights" }
            return "the \(backend) backend cannot run \(op.rawValue)"
        case .badWeight(let name, let reason): return "tensor \(name): \(reason)"
        case .foreignObject(let what): return "\(what) belongs to another backend"
        case .invalidToken(let id): return "token id \(id) is outside the vocabulary"
        case .cacheOverflow(let position, let capacity): return "position \(position) is beyond the KV cache's capacity of \(capacity)"
        case .unavailable(let why): return "backend unavailable: \(why)"
        case .multipleSequences(let backend):
            return "the \(backend) backend evaluates one sequence at a time; batched generation needs the cpu backend"
        case .unknownSequence(let sequence, let sequences):
            return "sequence \(sequence) is outside the KV cache's \(sequences) sequences"
        }
    }
}

extension Backend {
    /// Throws ``BackendError/unsupported(op:weightType:backend:)`` for the first op of `graph`
    /// this backend cannot run.
    package func validate(_ graph: Graph, weights: WeightSet) throws {
        for node in graph.nodes {
            let weight: WeightRef?
            switch node.op {
            case .embedding(let w), .rmsNorm(_, let w, _), .matmul(_, let w), .addBias(_, let w): weight = w
            default: weight = nil
            }
            let type = weight.map { weights.info($0).type }
            if !supports(node.op.kind, weightType: type) {
                throw BackendError.unsupported(op: node.op.kind, weightType: type, backend: name)
            }
        }
    }
}
