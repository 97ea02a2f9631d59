/// A handle to an activation tensor produced by a node of a ``Graph``.
///
/// Every activation is a row-major matrix of `rows × columns` Float values, one row per token
/// of the batch (or one row in total after ``GraphOp/lastRow(_:)``).
package struct TensorRef: Hashable, Sendable {
    /// The index of the node that produces the tensor.
    package let index: Int
}

/// A handle to a weight tensor of the model (an index into ``WeightSet/tensors``).
package struct WeightRef: Hashable, Sendable {
    /// The index of the weight in the model's ``WeightSet``.
    package let index: Int

    /// Creates a reference to the weight at `index`.
    package init(index: Int) { self.index = index }
}

/// The shape of an activation tensor: `rows` tokens of `columns` values.
package struct ActivationShape: Hashable, Sendable {
    /// Number of rows (tokens).
    package var rows: Int
    /// Number of values per row.
    package var columns: Int
}
