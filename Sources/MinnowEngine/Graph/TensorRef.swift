/// A handle to an activation tensor produced by a node of a ``Graph``.
///
/// Every activation is a row-major matrix of `rows × columns` Float values, one row per token
/// of the batch (or one row in total after ``GraphOp/lastRow(_:)``).
public struct TensorRef: Hashable, Sendable {
    /// The index of the node that produces the tensor.
    public let index: Int
}

/// A handle to a weight tensor of the model (an index into ``WeightSet/infos``).
public struct WeightRef: Hashable, Sendable {
    /// The index of the weight in the model's ``WeightSet``.
    public let index: Int

    /// Creates a reference to the weight at `index`.
    public init(index: Int) { self.index = index }
}

/// The shape of an activation tensor: `rows` tokens of `columns` values.
public struct ActivationShape: Hashable, Sendable {
    /// Number of rows (tokens).
    public var rows: Int
    /// Number of values per row.
    public var columns: Int
}
