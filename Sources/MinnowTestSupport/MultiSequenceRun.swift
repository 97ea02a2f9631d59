import MinnowEngine

/// Several sequences evaluated together (one graph whose rows carry their own sequence and
/// position) against each sequence evaluated alone, on any backend: three prompts of
/// different lengths, then decoding steps of one token per sequence, except a step where
/// sequence 1 takes two tokens (as a closed `</think>` does).
public struct MultiSequenceRun {
    /// The prompts, one per sequence.
    public var prompts: [[Int32]]
    /// The steps: per step, the tokens of each sequence.
    public var steps: [[[Int32]]]

    /// The standard run, token ids taken modulo `vocabulary`.
    public init(vocabulary: Int32) {
        func t(_ values: [Int32]) -> [Int32] { values.map { $0 % vocabulary } }
        prompts = [t([3, 17, 42, 0, 9]), t([9, 31, 5, 48, 12, 7, 7, 1, 30]), t([11, 2])]
        steps = [[t([4]), t([8]), t([15])], [t([21]), t([6, 19]), t([2])], [t([33]), t([40]), t([44])]]
    }

    /// Logits of every prompt and step ([sequence][evaluation][vocabulary]), each sequence in
    /// its own session.
    package func separate(_ model: TransformerModel, backend: any Backend, weights: any LoadedWeights,
                         cache: KVCacheType) throws -> [[[Float]]] {
        try prompts.indices.map { s in
            let session = try ModelSession(model: model, backend: backend, weights: weights, capacity: 64, cacheType: cache)
            var out = [try session.evaluate(prompts[s], shouldContinue: { true })]
            for step in steps { out.append(try session.evaluate(step[s], shouldContinue: { true })) }
            return out
        }
    }

    /// The same, the prompts evaluated one by one into a shared cache and each step in one
    /// pass, its parts in reverse order (so that rows must keep their sequence). `tokensKept`
    /// tells whether every sequence ends up holding exactly its own tokens.
    package func batched(_ model: TransformerModel, backend: any Backend, weights: any LoadedWeights,
                        cache: KVCacheType) throws -> (logits: [[[Float]]], tokensKept: Bool) {
        let batch = try MultiSequenceSession(model: model, backend: backend, weights: weights, capacity: 64,
                                             sequences: prompts.count, cacheType: cache)
        var out = try prompts.indices.map { [try batch.evaluate(prompts[$0], sequence: $0, shouldContinue: { true })] }
        for step in steps {
            let order = Array(step.indices.reversed())
            let logits = try batch.evaluate(order.map { SequencePart(sequence: $0, tokens: step[$0]) })
            for (k, s) in order.enumerated() { out[s].append(logits[k]) }
        }
        let kept = prompts.indices.allSatisfy { s in batch.tokens(of: s) == prompts[s] + steps.flatMap { $0[s] } }
        return (out, kept)
    }

    /// What ``compare(_:backend:weights:cache:)`` found.
    public struct Outcome {
        /// The largest absolute logit difference between batched and separate evaluation.
        public var maxDifference: Float
        /// Whether every sequence ends up holding exactly its own tokens.
        public var tokensKept: Bool
        /// Whether the arg-max token is the same at every evaluation.
        public var sameTopTokens: Bool
    }

    /// Runs ``separate(_:backend:weights:cache:)`` and ``batched(_:backend:weights:cache:)``
    /// and compares them.
    package func compare(_ model: TransformerModel, backend: any Backend, weights: any LoadedWeights,
                         cache: KVCacheType) throws -> Outcome {
        let alone = try separate(model, backend: backend, weights: weights, cache: cache)
        let together = try batched(model, backend: backend, weights: weights, cache: cache)
        return Outcome(maxDifference: Self.maxDifference(alone, together.logits), tokensKept: together.tokensKept,
                       sameTopTokens: Self.sameTopTokens(alone, together.logits))
    }

    /// The largest absolute difference between corresponding logits, or infinity when the
    /// shapes differ.
    public static func maxDifference(_ a: [[[Float]]], _ b: [[[Float]]]) -> Float {
        let x = Array(a.joined()), y = Array(b.joined())
        guard x.count == y.count, zip(x, y).allSatisfy({ $0.count == $1.count }) else { return .infinity }
        var worst: Float = 0
        for (u, v) in zip(x, y) {
            for (p, q) in zip(u, v) { worst = max(worst, abs(p - q)) }
        }
        return worst
    }

    /// Whether the arg-max token is the same at every evaluation.
    public static func sameTopTokens(_ a: [[[Float]]], _ b: [[[Float]]]) -> Bool {
        zip(a.joined(), b.joined()).allSatisfy { x, y in
            x.indices.max { x[$0] < x[$1] } == y.indices.max { y[$0] < y[$1] }
        }
    }
}
