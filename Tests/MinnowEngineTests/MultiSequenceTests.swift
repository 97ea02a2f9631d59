import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowTestTraits
import Testing

/// Several sequences evaluated together (one graph whose rows carry their own sequence and
/// position) must give each sequence the logits it gets alone.
@Suite(.offPool) struct MultiSequenceTests {
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
        let outcome = try MultiSequenceRun(vocabulary: Int32(synthetic.vocabulary))
            .compare(model, backend: backend, weights: weights, cache: cache)
        #expect(outcome.tokensKept)
        #expect(outcome.maxDifference < 1e-4)
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
        let outcome = try MultiSequenceRun(vocabulary: 151_000).compare(model, backend: backend, weights: weights, cache: .f16)
        print("Qwen 0.5B: batched vs separate, max logit difference \(outcome.maxDifference)")
        #expect(outcome.tokensKept)
        #expect(outcome.maxDifference < 1e-2, "max logit difference \(outcome.maxDifference)")
        #expect(outcome.sameTopTokens)
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
