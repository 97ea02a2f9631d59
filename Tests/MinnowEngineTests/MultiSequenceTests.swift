import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import Testing

/// Several sequences evaluated together (one graph whose rows carry their own sequence and
/// position) must give each sequence the logits it gets alone.
@Suite struct MultiSequenceTests {
    /// Three prompts of different lengths, then `steps` decoding steps, each one token per
    /// sequence except a step where sequence 1 takes two tokens (as a closed `</think>` does).
    struct Run {
        var prompts: [[Int32]]
        var steps: [[[Int32]]]
    }

    static func run(vocabulary: Int32) -> Run {
        func t(_ values: [Int32]) -> [Int32] { values.map { $0 % vocabulary } }
        return Run(
            prompts: [t([3, 17, 42, 0, 9]), t([9, 31, 5, 48, 12, 7, 7, 1, 30]), t([11, 2])],
            steps: [[t([4]), t([8]), t([15])], [t([21]), t([6, 19]), t([2])], [t([33]), t([40]), t([44])]])
    }

    /// Logits of every prompt and step, each sequence in its own session.
    func separate(_ model: TransformerModel, backend: CPUBackend, weights: any LoadedWeights, run: Run,
                  cache: KVCacheType) throws -> [[[Float]]] {
        try run.prompts.indices.map { s in
            let session = try ModelSession(model: model, backend: backend, weights: weights, capacity: 64, cacheType: cache)
            var out = [try session.evaluate(run.prompts[s], shouldContinue: { true })]
            for step in run.steps { out.append(try session.evaluate(step[s], shouldContinue: { true })) }
            return out
        }
    }

    /// The same, the prompts evaluated one by one into a shared cache and each step in one pass.
    func batched(_ model: TransformerModel, backend: CPUBackend, weights: any LoadedWeights, run: Run,
                 cache: KVCacheType) throws -> [[[Float]]] {
        let batch = try MultiSequenceSession(model: model, backend: backend, weights: weights, capacity: 64,
                                             sequences: run.prompts.count, cacheType: cache)
        var out = try run.prompts.indices.map { [try batch.evaluate(run.prompts[$0], sequence: $0, shouldContinue: { true })] }
        for step in run.steps {
            // Parts in another order than the sequences, to check that rows keep their sequence.
            let order = Array(step.indices.reversed())
            let logits = try batch.evaluate(order.map { SequencePart(sequence: $0, tokens: step[$0]) })
            for (k, s) in order.enumerated() { out[s].append(logits[k]) }
        }
        for s in run.prompts.indices {
            #expect(batch.tokens(of: s) == run.prompts[s] + run.steps.flatMap { $0[s] })
        }
        return out
    }

    func maxDifference(_ a: [[[Float]]], _ b: [[[Float]]]) -> Float {
        var worst: Float = 0
        for (x, y) in zip(a.joined(), b.joined()) {
            #expect(x.count == y.count)
            for (u, v) in zip(x, y) { worst = max(worst, abs(u - v)) }
        }
        return worst
    }

    // Synthetic F32 model, logits O(1-10): a batched row goes through the same kernels as a
    // lone row except that the matrix products run over several rows at once, which may only
    // reassociate float sums (~1e-6 relative); 1e-4 is the bound the single-sequence batching
    // test uses.
    @Test(arguments: [KVCacheType.f32, .f16])
    func syntheticBatchEqualsSeparateSequences(cache: KVCacheType) throws {
        let synthetic = try SyntheticModel(architecture: .qwen2, tied: false)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        let backend = try CPUBackend(threads: 2)
        let weights = try backend.loadWeights(model.weights)
        let run = Self.run(vocabulary: Int32(synthetic.vocabulary))
        let alone = try separate(model, backend: backend, weights: weights, run: run, cache: cache)
        let together = try batched(model, backend: backend, weights: weights, run: run, cache: cache)
        #expect(maxDifference(alone, together) < 1e-4)
    }

    // Qwen2.5-Coder-0.5B Q4_K_M: activations are quantized per row (Q8_K), so a row's numbers do
    // not depend on its neighbours; the multi-row kernels may sum in another order. Logits are
    // O(10); 1e-2 allows for reassociation in 896- to 4864-long dot products and still catches a
    // row reading another sequence's cache (differences of whole units).
    @Test(.enabled(if: TestModels.available(TestModels.qwen05)))
    func qwenBatchEqualsSeparateSequences() throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let file = try GGUFFile.open(url, mode: .full)
        let model = try TransformerLoader.model(from: file)
        let backend = try CPUBackend()
        let weights = try backend.loadWeights(model.weights)
        let run = Self.run(vocabulary: 151_000)
        let alone = try separate(model, backend: backend, weights: weights, run: run, cache: .f16)
        let together = try batched(model, backend: backend, weights: weights, run: run, cache: .f16)
        let difference = maxDifference(alone, together)
        print("Qwen 0.5B: batched vs separate, max logit difference \(difference)")
        #expect(difference < 1e-2, "max logit difference \(difference)")
        for (x, y) in zip(alone.joined(), together.joined()) {
            #expect(x.indices.max { x[$0] < x[$1] } == y.indices.max { y[$0] < y[$1] })
        }
    }

    @Test func rowsOutsideTheCacheAreRefused() throws {
        let synthetic = try SyntheticModel(architecture: .llama, tied: true)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        let batch = try MultiSequenceSession(model: model, backend: try CPUBackend(threads: 1), capacity: 4, sequences: 2)
        #expect(throws: BackendError.unknownSequence(2, sequences: 2)) {
            try batch.evaluate([SequencePart(sequence: 2, tokens: [1])])
        }
        #expect(throws: EvaluationError.contextFull(capacity: 4, requested: 5)) {
            try batch.evaluate([SequencePart(sequence: 0, tokens: [1]), SequencePart(sequence: 1, tokens: [1, 2, 3, 4, 5])])
        }
        // Nothing was evaluated by the refused calls.
        #expect(batch.tokens(of: 0).isEmpty && batch.tokens(of: 1).isEmpty)
    }
}
