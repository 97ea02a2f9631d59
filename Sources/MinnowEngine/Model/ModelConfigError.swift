import MinnowGGUF

/// Errors raised while reading a model's description from its metadata and tensors.
public enum ModelConfigError: Error, CustomStringConvertible, Equatable {
    /// `general.architecture` names an architecture this engine does not implement.
    case unsupportedArchitecture(String)
    /// A required metadata key is missing or has the wrong type.
    case missingMetadata(String)
    /// A metadata value is out of range.
    case invalidMetadata(key: String, reason: String)
    /// A required tensor is missing.
    case missingTensor(String)
    /// A tensor has the wrong shape.
    case badTensorShape(name: String, shape: [Int], expected: String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unsupportedArchitecture(let arch):
            return "unsupported architecture '\(arch)' (supported: \(ModelArchitecture.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .missingMetadata(let key): return "missing metadata key \(key)"
        case .invalidMetadata(let key, let reason): return "metadata \(key): \(reason)"
        case .missingTensor(let name): return "missing tensor \(name)"
        case .badTensorShape(let name, let shape, let expected): return "tensor \(name) has shape \(shape), expected \(expected)"
        }
    }
}
