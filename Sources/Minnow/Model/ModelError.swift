/// Why a model could not be loaded.
public enum ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No file at this path.
    case fileNotFound(path: String)
    /// The file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not a valid GGUF model (bad magic, truncated, inconsistent metadata).
    case invalidFormat(String)
    /// The model's architecture is not one Minnow runs.
    case unsupportedArchitecture(String)
    /// A tensor has an element type no backend here computes with.
    case unsupportedTensorType(tensor: String, type: String)
    /// Not enough memory is available: `required` bytes are needed, `available` are free.
    case insufficientMemory(required: Int, available: Int)
    /// The requested backend cannot run here (no device, or it lacks an op or a type).
    case backendUnavailable(String)
    /// The tokenizer or chat template in the file could not be built.
    case invalidTokenizer(String)

    /// A readable description that says what to do.
    public var description: String {
        switch self {
        case .fileNotFound(let path): return "no model file at \(path)"
        case .unreadableFile(let path, let reason): return "cannot read \(path): \(reason)"
        case .invalidFormat(let why): return "not a valid GGUF model: \(why)"
        case .unsupportedArchitecture(let name):
            return "unsupported architecture '\(name)' (Minnow runs qwen2 and llama)"
        case .unsupportedTensorType(let tensor, let type):
            return "tensor \(tensor) has type \(type), which no backend supports"
        case .insufficientMemory(let required, let available):
            return "not enough memory: the model needs about \(Self.format(required)), "
                + "\(Self.format(available)) is available; try a smaller model or a shorter context"
        case .backendUnavailable(let why): return "backend unavailable: \(why)"
        case .invalidTokenizer(let why): return "invalid tokenizer or chat template: \(why)"
        }
    }

    static func format(_ bytes: Int) -> String {
        let mib = Double(bytes) / 1_048_576
        if mib >= 1024 {
            return "\((mib / 1024 * 10).rounded() / 10) GiB"
        }
        return "\(Int(mib.rounded())) MiB"
    }
}
