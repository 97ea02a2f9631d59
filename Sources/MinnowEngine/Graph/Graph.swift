/// A forward pass over a batch of tokens, as a list of ops in execution order.
///
/// A graph depends only on the batch size (and whether every row's logits are wanted), never on
/// the token values, their positions or their sequences, which are given at execution
/// (``GraphInputs``). A backend
/// can therefore compile a graph once per batch shape and reuse it.
public struct Graph: Sendable, Equatable {
    /// Number of tokens (rows) the graph evaluates.
    public let batchSize: Int
    /// The nodes, in an order where every input precedes its use.
    public let nodes: [GraphNode]
    /// The tensor whose values the execution returns (the logits).
    public let output: TensorRef

    /// The shape of a tensor of this graph.
    public func shape(of tensor: TensorRef) -> ActivationShape { nodes[tensor.index].shape }

    /// The graph up to and including node `index`, with that node's result as its output:
    /// how a comparison tool evaluates an intermediate tensor on two backends.
    public func prefix(through index: Int) -> Graph {
        Graph(batchSize: batchSize, nodes: Array(nodes[...index]), output: TensorRef(index: index))
    }

    /// For every node, the index of the last node that reads its result (or its own index if
    /// none does; the output lives to the end). Backends use it to reuse buffers.
    public func lastUses() -> [Int] {
        var last = Array(nodes.indices)
        func use(_ t: TensorRef, at i: Int) { last[t.index] = max(last[t.index], i) }
        for (i, node) in nodes.enumerated() {
            switch node.op {
            case .embedding: break
            case .rmsNorm(let x, _, _), .matmul(let x, _), .addBias(let x, _), .rope(let x, _, _),
                 .softmax(let x), .lastRow(let x):
                use(x, at: i)
            case .attention(let q, let k, let v, _, _):
                use(q, at: i); use(k, at: i); use(v, at: i)
            case .siluMul(let a, let b), .add(let a, let b):
                use(a, at: i); use(b, at: i)
            }
        }
        last[output.index] = nodes.count
        return last
    }
}

/// The per-execution inputs of a graph: for every row, its token, its position and the
/// sequence it belongs to.
///
/// One KV cache can hold several independent sequences (``KVCacheSpec/sequences``). A row's
/// keys and values are stored in its own sequence at its own position, and it attends only to
/// that sequence's positions up to its own. So one graph can evaluate a prompt (one sequence,
/// consecutive positions) or one token of each of several sequences at once, whose matrix
/// products then share each pass over the weights.
public struct GraphInputs: Sendable, Equatable {
    /// The batch's token ids, one per row.
    public var tokens: [Int32]
    /// The cache position of each row.
    public var positions: [Int]
    /// The sequence (KV cache slot) of each row.
    public var sequences: [Int]

    /// Rows of one sequence at consecutive positions: token i sits at `startPosition + i`.
    public init(tokens: [Int32], startPosition: Int, sequence: Int = 0) {
        self.tokens = tokens
        self.positions = Array(startPosition..<(startPosition + tokens.count))
        self.sequences = Array(repeating: sequence, count: tokens.count)
    }

    /// Rows with their own positions and sequences (the three arrays have one entry per row).
    public init(tokens: [Int32], positions: [Int], sequences: [Int]) {
        self.tokens = tokens
        self.positions = positions
        self.sequences = sequences
    }

    /// The position of the first row.
    public var startPosition: Int { positions.first ?? 0 }

    /// The first position when every row belongs to sequence 0, at consecutive positions (what a
    /// backend without multi-sequence support can run); nil otherwise.
    public var singleSequenceStart: Int? {
        let start = startPosition
        for (i, position) in positions.enumerated() where position != start + i || sequences[i] != 0 { return nil }
        return start
    }
}

/// Errors raised while building a graph (a model whose weights do not fit together).
public struct GraphError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let description: String
}

/// Builds a ``Graph``, checking shapes as ops are added.
package struct GraphBuilder {
    private var nodes: [GraphNode] = []
    private let weights: [WeightInfo]
    /// Number of tokens the graph evaluates.
    package let batchSize: Int

    /// Starts an empty graph for `batchSize` tokens over the given weights.
    package init(batchSize: Int, weights: [WeightInfo]) {
        self.batchSize = batchSize
        self.weights = weights
    }

    private func columns(_ t: TensorRef) -> Int { nodes[t.index].shape.columns }
    private func rows(_ t: TensorRef) -> Int { nodes[t.index].shape.rows }

    private mutating func append(_ op: GraphOp, rows: Int, columns: Int) -> TensorRef {
        nodes.append(GraphNode(op: op, shape: ActivationShape(rows: rows, columns: columns)))
        return TensorRef(index: nodes.count - 1)
    }

    private func weight(_ w: WeightRef) throws -> WeightInfo {
        guard weights.indices.contains(w.index) else { throw GraphError(description: "unknown weight #\(w.index)") }
        return weights[w.index]
    }

    private func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw GraphError(description: message()) }
    }

    /// Embedding rows of the batch's tokens.
    package mutating func embedding(_ table: WeightRef) throws -> TensorRef {
        let w = try weight(table)
        try require(w.shape.count == 2, "\(w.name): embedding table must be 2-D")
        return append(.embedding(table: table), rows: batchSize, columns: w.shape[0])
    }

    /// RMS normalization with a per-column weight.
    package mutating func rmsNorm(_ x: TensorRef, weight scale: WeightRef, epsilon: Float) throws -> TensorRef {
        let w = try weight(scale)
        try require(w.elementCount == columns(x), "\(w.name): \(w.elementCount) values, expected \(columns(x))")
        return append(.rmsNorm(x, weight: scale, epsilon: epsilon), rows: rows(x), columns: columns(x))
    }

    /// x · Wᵀ.
    package mutating func matmul(_ x: TensorRef, _ matrix: WeightRef) throws -> TensorRef {
        let w = try weight(matrix)
        try require(w.shape.count == 2 && w.shape[0] == columns(x),
                    "\(w.name): shape \(w.shape) does not take \(columns(x)) inputs")
        return append(.matmul(x, weight: matrix), rows: rows(x), columns: w.shape[1])
    }

    /// x + bias.
    package mutating func addBias(_ x: TensorRef, _ bias: WeightRef) throws -> TensorRef {
        let w = try weight(bias)
        try require(w.elementCount == columns(x), "\(w.name): \(w.elementCount) values, expected \(columns(x))")
        return append(.addBias(x, bias: bias), rows: rows(x), columns: columns(x))
    }

    /// Rotary position embedding of `heads` heads.
    package mutating func rope(_ x: TensorRef, heads: Int, config: RoPEConfig) throws -> TensorRef {
        try require(heads > 0 && columns(x) % heads == 0, "rope: \(columns(x)) values do not split into \(heads) heads")
        let headSize = columns(x) / heads
        try require(config.dimensions <= headSize && config.dimensions % 2 == 0, "rope: \(config.dimensions) rotated dimensions in a head of \(headSize)")
        return append(.rope(x, heads: heads, config: config), rows: rows(x), columns: columns(x))
    }

    /// Cached causal attention.
    package mutating func attention(query: TensorRef, key: TensorRef, value: TensorRef, layer: Int, spec: AttentionSpec) throws -> TensorRef {
        try require(spec.kvHeads > 0 && spec.heads % spec.kvHeads == 0, "attention: \(spec.heads) heads over \(spec.kvHeads) KV heads")
        try require(columns(query) == spec.heads * spec.headSize, "attention: query has \(columns(query)) values")
        try require(columns(key) == spec.kvHeads * spec.headSize && columns(value) == columns(key), "attention: key/value have \(columns(key))/\(columns(value)) values")
        return append(.attention(query: query, key: key, value: value, layer: layer, spec: spec), rows: rows(query), columns: columns(query))
    }

    /// silu(gate) · up.
    package mutating func siluMul(gate: TensorRef, up: TensorRef) throws -> TensorRef {
        try require(nodes[gate.index].shape == nodes[up.index].shape, "silu-mul: shapes differ")
        return append(.siluMul(gate: gate, up: up), rows: rows(gate), columns: columns(gate))
    }

    /// a + b.
    package mutating func add(_ a: TensorRef, _ b: TensorRef) throws -> TensorRef {
        try require(nodes[a.index].shape == nodes[b.index].shape, "add: shapes differ")
        return append(.add(a, b), rows: rows(a), columns: columns(a))
    }

    /// Row-wise softmax.
    package mutating func softmax(_ x: TensorRef) -> TensorRef {
        append(.softmax(x), rows: rows(x), columns: columns(x))
    }

    /// The last row of x.
    package mutating func lastRow(_ x: TensorRef) -> TensorRef {
        append(.lastRow(x), rows: 1, columns: columns(x))
    }

    /// Finishes the graph with `output` as its result.
    package func build(output: TensorRef) -> Graph {
        Graph(batchSize: batchSize, nodes: nodes, output: output)
    }
}
