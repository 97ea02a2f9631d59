/// Why a quantization format operation was refused.
public enum QuantizationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// This package cannot convert `type` in the requested direction.
    case unsupportedType(GGMLType, operation: String)
    /// `count` elements are not a whole number of `type` blocks (or the count is negative).
    case invalidCount(Int, type: GGMLType)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .unsupportedType(type, operation):
            return "\(operation) is not supported for tensor type \(type.name)"
        case let .invalidCount(count, type):
            return "\(count) elements is not a whole number of \(type.name) blocks of \(type.blockSize)"
        }
    }
}
