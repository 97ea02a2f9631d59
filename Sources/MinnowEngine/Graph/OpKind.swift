/// The kind of an operation, used by backends to say what they support.
///
/// A struct rather than an enum, so that a kind added in a later version is only a new value:
/// a backend compiled against an older version does not list it in
/// ``BackendCapabilities/operations``, so ``Backend/supports(_:weightType:)`` answers false for it
/// and selection moves the model to a backend that runs it, or fails with
/// ``BackendError/unsupported(op:weightType:backend:)``.
public struct OpKind: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The kind's name, such as `matmul`.
    public let rawValue: String

    /// A kind by name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The name.
    public var description: String { rawValue }

    /// ``GraphOp/embedding(table:)``.
    public static let embedding = OpKind(rawValue: "embedding")
    /// ``GraphOp/rmsNorm(_:weight:epsilon:)``.
    public static let rmsNorm = OpKind(rawValue: "rmsNorm")
    /// ``GraphOp/matmul(_:weight:)``.
    public static let matmul = OpKind(rawValue: "matmul")
    /// ``GraphOp/addBias(_:bias:)``.
    public static let addBias = OpKind(rawValue: "addBias")
    /// ``GraphOp/rope(_:heads:config:)``.
    public static let rope = OpKind(rawValue: "rope")
    /// ``GraphOp/attention(query:key:value:layer:spec:)``.
    public static let attention = OpKind(rawValue: "attention")
    /// ``GraphOp/siluMul(gate:up:)``.
    public static let siluMul = OpKind(rawValue: "siluMul")
    /// ``GraphOp/add(_:_:)``.
    public static let add = OpKind(rawValue: "add")
    /// ``GraphOp/softmax(_:)``.
    public static let softmax = OpKind(rawValue: "softmax")
    /// ``GraphOp/lastRow(_:)``.
    public static let lastRow = OpKind(rawValue: "lastRow")

    /// The kinds of this version, in graph order.
    public static let allCases: [OpKind] = [
        .embedding, .rmsNorm, .matmul, .addBias, .rope, .attention, .siluMul, .add, .softmax, .lastRow,
    ]

    /// The kinds whose op reads a weight (and so has a weight type).
    public static let weighted: Set<OpKind> = [.embedding, .rmsNorm, .matmul, .addBias]
}
