/// One operation of the forward pass. Every op produces one activation tensor.
///
/// New cases may be added in a minor version. A backend outside the package never switches
/// over this enum without a `default` (or `@unknown default`) branch: it reports the kinds it
/// runs through ``BackendCapabilities/operations`` and ``Backend/supports(_:weightType:)``,
/// and a graph with an op it does not know is never given to it (see ``OpKind``).
public enum GraphOp: Sendable, Equatable {
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
    public var kind: OpKind {
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
public struct AttentionSpec: Sendable, Equatable {
    /// Number of query heads.
    public var heads: Int
    /// Number of key/value heads (each serves `heads / kvHeads` query heads).
    public var kvHeads: Int
    /// Values per head.
    public var headSize: Int
    /// Factor applied to q·k before the softmax (1/√headSize).
    public var scale: Float

    /// Creates an attention layout.
    public init(heads: Int, kvHeads: Int, headSize: Int, scale: Float) {
        self.heads = heads
        self.kvHeads = kvHeads
        self.headSize = headSize
        self.scale = scale
    }
}

/// A node of a graph: the op and the shape of what it produces.
public struct GraphNode: Sendable, Equatable {
    /// The operation.
    public var op: GraphOp
    /// The shape of its result.
    public var shape: ActivationShape
}

extension GraphOp {
    /// The weight the op reads, if any.
    public var weight: WeightRef? {
        switch self {
        case .embedding(let w), .rmsNorm(_, let w, _), .matmul(_, let w), .addBias(_, let w): return w
        default: return nil
        }
    }
}
