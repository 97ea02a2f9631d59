/// Why a prompt cache file cannot be saved or restored. A restore never goes ahead with a file
/// that does not match: each kind of mismatch has its own case.
public enum PromptCacheError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file does not start like a Minnow prompt cache.
    case notAPromptCache(path: String)
    /// The file was written by a format version this Minnow does not read.
    case unsupportedVersion(Int)
    /// The file is shorter than its header says: it was cut (a partial copy, a full disk).
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The file's contents are damaged: a checksum mismatch or an unreadable header.
    case corrupted(String)
    /// The file was saved from another model (its identity hash differs).
    case modelMismatch(saved: String, current: String)
    /// The file holds a KV cache of another element type than the model's.
    case cacheTypeMismatch(saved: String, current: String)
    /// The file holds more tokens than the model's context.
    case contextTooSmall(tokens: Int, contextLength: Int)
    /// The file holds a raw token prefix where a chat session was expected, or the reverse.
    case wrongKind(saved: String, expected: String)
    /// The backend cannot copy its KV cache out or in (only the CPU backend can, for now).
    case unsupportedBackend(String)
    /// Reading or writing the file failed.
    case io(String)

    /// A readable description.
    public var description: String {
        switch self {
        case .notAPromptCache(let path): "\(path) is not a Minnow prompt cache"
        case .unsupportedVersion(let version): "prompt cache format version \(version) is not supported"
        case .truncated(let expected, let actual):
            "the prompt cache is cut: \(actual) bytes of \(expected)"
        case .corrupted(let why): "the prompt cache is damaged: \(why)"
        case .modelMismatch(let saved, let current):
            "the prompt cache was saved from another model (\(saved)), not \(current)"
        case .cacheTypeMismatch(let saved, let current):
            "the prompt cache holds a \(saved) KV cache; the model uses \(current)"
        case .contextTooSmall(let tokens, let context):
            "the prompt cache holds \(tokens) tokens but the context holds only \(context)"
        case .wrongKind(let saved, let expected): "the prompt cache holds a \(saved), not a \(expected)"
        case .unsupportedBackend(let why): "prompt caches are not available: \(why)"
        case .io(let why): "prompt cache file error: \(why)"
        }
    }
}
