/// The kind of an operation, used by backends to say what they support.
package enum OpKind: String, Sendable, CaseIterable {
    case embedding, rmsNorm, matmul, addBias, rope, attention, siluMul, add, softmax, lastRow
}

/// One operation of the forward pass. Every op produces one activation tensor.
package enum GraphOp: Sendable, Equatable {
    /// Row `tokens[i]` of the embedding table, for each token of the batch (the graph input).
    case embedding(table: WeightRef)
    /// x / sqrt(mean(x²) + ε) · weight, per row.
    case rmsNorm(TensorRef, weight: WeightRef, epsilon: Float)
    /// x · Wᵀ: W has `columns(x)` inputs per row and one output per row (ggml's `mul_mat`).
    case matmul(TensorRef, weight: WeightRef)
    /// x + bias, the bias broadcast over rows.
    case addBias(TensorRef, bias: WeightRef)
    /// Rotates each of the `heads` heads of every row by the row's position (``GraphInputs``).
    case rope(TensorRef, heads: Int, config: RoPEConfig)
    /// Stores the rows' keys and values in the KV cache of `layer`, each in its row's sequence at
    /// its row's position, then computes causal grouped-query attention of each query over the
    /// cached positions of its own sequence up to and including its own:
    /// softmax(q·kᵀ · scale) · v. Rows of other sequences are never read.
    case attention(query: TensorRef, key: TensorRef, value: TensorRef, layer: Int, spec: AttentionSpec)
    /// silu(gate) · up, element-wise.
    case siluMul(gate: TensorRef, up: TensorRef)
    /// a + b, element-wise.
    case add(TensorRef, TensorRef)
    /// Softmax of every row.
    case softmax(TensorRef)
    /// The last row only (a 1-row tensor), so that only the last token's logits are computed.
    case lastRow(TensorRef)

    /// The kind of this op.
    package var kind: OpKind {
        switch self {
        case .embedding: .embedding
        case .rmsNorm: .rmsNorm
        case .matmul: .matmul
        case .addBias: .addBias
        case .rope: .rope
        case .attention: .attention
        case .siluMul: .siluMul
        case .add: .add
        case .softmax: .softmax
        case .lastRow: .lastRow
        }
    }
}

/// The head layout of an attention op.
package struct AttentionSpec: Sendable, Equatable {
    /// Number of query heads.
    package var heads: Int
    /// Number of key/value heads (each serves `heads / kvHeads` query heads).
    package var kvHeads: Int
    /// Values per head.
    package var headSize: Int
    /// Factor applied to q·k before the softmax (1/√headSize).
    package var scale: Float

    /// Creates an attention layout.
    package init(heads: Int, kvHeads: Int, headSize: Int, scale: Float) {
        self.heads = heads
        self.kvHeads = kvHeads
        self.headSize = headSize
        self.scale = scale
    }
}

/// A node of a graph: the op and the shape of what it produces.
package struct GraphNode: Sendable, Equatable {
    /// The operation.
    package var op: GraphOp
    /// The shape of its result.
    package var shape: ActivationShape
}
