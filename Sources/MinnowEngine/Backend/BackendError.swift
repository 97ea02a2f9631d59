import MinnowGGUF

/// Errors a backend raises.
public enum BackendError: Error, CustomStringConvertible, Equatable {
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
    public var description: String {
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
