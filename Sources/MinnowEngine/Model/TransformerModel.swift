import MinnowGGUF

/// A qwen2 or llama model: its hyperparameters and the references to its weights, and the one
/// description of its forward pass as a ``Graph``.
public struct TransformerModel: Sendable {
    /// The weights of one transformer block.
    public struct Block: Sendable {
        var attentionNorm: WeightRef
        var query: WeightRef, key: WeightRef, value: WeightRef
        var queryBias: WeightRef?, keyBias: WeightRef?, valueBias: WeightRef?
        var attentionOutput: WeightRef
        var feedForwardNorm: WeightRef
        var gate: WeightRef, up: WeightRef, down: WeightRef
    }

    /// Hyperparameters.
    public let config: TransformerConfig
    /// The weights.
    public internal(set) var weights: WeightSet
    let tokenEmbedding: WeightRef
    let blocks: [Block]
    let outputNorm: WeightRef
    /// The output projection: `output.weight`, or the token embedding when tied (or the rows of
    /// either kept by ``restrictingOutput(to:)``).
    var output: WeightRef
    /// Whether the output projection reuses the token embedding.
    public let tiedEmbeddings: Bool

    /// The vocabulary size (rows of the output projection).
    public var vocabularySize: Int { weights.info(output).rowCount }

    /// Finds and checks the weights of an architecture described by `config`.
    public init(config: TransformerConfig, weights: WeightSet) throws {
        var config = config
        // Llama 3 files carry their RoPE frequency divisors as a tensor.
        if let ref = weights.ref("rope_freqs.weight") {
            let info = weights.info(ref)
            let half = config.rope.dimensions / 2
            guard info.type == .f32, info.shape == [half], let base = weights.bytes(ref).baseAddress,
                  weights.bytes(ref).count >= half * 4 else {
                throw ModelConfigError.badTensorShape(name: info.name, shape: info.shape, expected: "F32 [\(half)]")
            }
            config.rope.frequencyFactors = Array(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: half))
        }
        self.config = config
        self.weights = weights
        func find(_ name: String) throws -> WeightRef {
            guard let ref = weights.ref(name) else { throw ModelConfigError.missingTensor(name) }
            return ref
        }
        func matrix(_ name: String, inputs: Int, outputs: Int?) throws -> WeightRef {
            let ref = try find(name)
            let shape = weights.info(ref).shape
            guard shape.count == 2, shape[0] == inputs, outputs == nil || shape[1] == outputs else {
                throw ModelConfigError.badTensorShape(name: name, shape: shape, expected: "[\(inputs), \(outputs.map(String.init) ?? "n")]")
            }
            return ref
        }
        func vector(_ name: String, length: Int) throws -> WeightRef {
            let ref = try find(name)
            let shape = weights.info(ref).shape
            guard shape == [length] else { throw ModelConfigError.badTensorShape(name: name, shape: shape, expected: "[\(length)]") }
            return ref
        }
        func optionalVector(_ name: String, length: Int) throws -> WeightRef? {
            weights.ref(name) == nil ? nil : try vector(name, length: length)
        }
        let e = config.embeddingLength, qWidth = config.headCount * config.headSize, kvWidth = config.kvWidth
        tokenEmbedding = try matrix("token_embd.weight", inputs: e, outputs: nil)
        blocks = try (0..<config.blockCount).map { i in
            let p = "blk.\(i)."
            return Block(
                attentionNorm: try vector(p + "attn_norm.weight", length: e),
                query: try matrix(p + "attn_q.weight", inputs: e, outputs: qWidth),
                key: try matrix(p + "attn_k.weight", inputs: e, outputs: kvWidth),
                value: try matrix(p + "attn_v.weight", inputs: e, outputs: kvWidth),
                queryBias: try optionalVector(p + "attn_q.bias", length: qWidth),
                keyBias: try optionalVector(p + "attn_k.bias", length: kvWidth),
                valueBias: try optionalVector(p + "attn_v.bias", length: kvWidth),
                attentionOutput: try matrix(p + "attn_output.weight", inputs: qWidth, outputs: e),
                feedForwardNorm: try vector(p + "ffn_norm.weight", length: e),
                gate: try matrix(p + "ffn_gate.weight", inputs: e, outputs: config.feedForwardLength),
                up: try matrix(p + "ffn_up.weight", inputs: e, outputs: config.feedForwardLength),
                down: try matrix(p + "ffn_down.weight", inputs: config.feedForwardLength, outputs: e))
        }
        outputNorm = try vector("output_norm.weight", length: e)
        if weights.ref("output.weight") != nil {
            output = try matrix("output.weight", inputs: e, outputs: nil)
            tiedEmbeddings = false
        } else {
            output = tokenEmbedding
            tiedEmbeddings = true
        }
    }

    /// The KV cache layout for `sequences` sequences of `capacity` positions each.
    public func cacheSpec(capacity: Int, type: KVCacheType, sequences: Int = 1) -> KVCacheSpec {
        KVCacheSpec(layers: config.blockCount, width: config.kvWidth, capacity: capacity, type: type, sequences: sequences)
    }

    /// The forward pass for `batchSize` tokens. With `allLogits` the output has one row of
    /// logits per token; otherwise only the last token's.
    public func graph(batchSize: Int, allLogits: Bool) throws -> Graph {
        var g = GraphBuilder(batchSize: batchSize, weights: weights.infos)
        let c = config
        let attention = AttentionSpec(heads: c.headCount, kvHeads: c.kvHeadCount, headSize: c.headSize,
                                      scale: 1 / Float(c.headSize).squareRoot())
        var x = try g.embedding(tokenEmbedding)
        for (layer, b) in blocks.enumerated() {
            let h = try g.rmsNorm(x, weight: b.attentionNorm, epsilon: c.rmsEpsilon)
            var q = try g.matmul(h, b.query)
            var k = try g.matmul(h, b.key)
            var v = try g.matmul(h, b.value)
            if let bias = b.queryBias { q = try g.addBias(q, bias) }
            if let bias = b.keyBias { k = try g.addBias(k, bias) }
            if let bias = b.valueBias { v = try g.addBias(v, bias) }
            q = try g.rope(q, heads: c.headCount, config: c.rope)
            k = try g.rope(k, heads: c.kvHeadCount, config: c.rope)
            let a = try g.attention(query: q, key: k, value: v, layer: layer, spec: attention)
            x = try g.add(x, try g.matmul(a, b.attentionOutput))
            let f = try g.rmsNorm(x, weight: b.feedForwardNorm, epsilon: c.rmsEpsilon)
            let m = try g.siluMul(gate: try g.matmul(f, b.gate), up: try g.matmul(f, b.up))
            x = try g.add(x, try g.matmul(m, b.down))
        }
        if !allLogits && batchSize > 1 { x = g.lastRow(x) }
        let normed = try g.rmsNorm(x, weight: outputNorm, epsilon: c.rmsEpsilon)
        let logits = try g.matmul(normed, output)
        return g.build(output: logits)
    }
}
