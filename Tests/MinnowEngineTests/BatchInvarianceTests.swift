import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowTestTraits
import Testing

/// Speculative decoding verifies drafted tokens in one batch and keeps a draft when it is the
/// greedy choice for its position; greedy speculative decoding gives exactly the model's own
/// tokens only if a batch's logits are those of one-at-a-time evaluation. The CPU kernels
/// promise it bit for bit (minnow_cpu_kernels.h: per-row results never depend on the number of
/// rows); these tests pin it for whole models, attention and the F16 cache included, so the
/// comparisons are exact (`==`), not within a tolerance.
@Suite(.offPool) struct BatchInvarianceTests {
    /// Logits of `prompt` then `drafts` evaluated one token at a time.
    func oneAtATime(_ session: ModelSession, _ tokens: [Int32]) throws -> [[Float]] {
        try tokens.map { try session.evaluate([$0], shouldContinue: { true }) }
    }

    /// Every row of a whole-prompt batch, then of a verification batch after a truncation (the
    /// rollback of rejected drafts), against one-at-a-time logits.
    func check(_ model: TransformerModel, backend: CPUBackend, cache: KVCacheType, tokens: [Int32]) throws {
        let weights = try backend.loadWeights(model.weights)
        let single = try ModelSession(model: model, backend: backend, weights: weights, capacity: 128, cacheType: cache)
        let reference = try oneAtATime(single, tokens)

        let batched = try ModelSession(model: model, backend: backend, weights: weights, capacity: 128, cacheType: cache)
        let rows = try batched.evaluateEach(tokens)
        #expect(rows.count == tokens.count)
        for (index, (row, expected)) in zip(rows, reference).enumerated() {
            #expect(row == expected, "prompt row \(index) differs")
        }

        // A prefix, then wrong drafts (evaluated and rolled back), then the right tokens as one
        // verification batch of 6.
        let split = tokens.count - 6
        let verifier = try ModelSession(model: model, backend: backend, weights: weights, capacity: 128, cacheType: cache)
        _ = try verifier.evaluate(Array(tokens[..<split]), shouldContinue: { true })
        let wrong = tokens[split...].map { ($0 + 7) % Int32(model.vocabularySize) }
        _ = try verifier.evaluateEach(Array(wrong))
        verifier.truncate(to: split)
        let verified = try verifier.evaluateEach(Array(tokens[split...]))
        #expect(verifier.tokens == tokens)
        for (index, row) in verified.enumerated() {
            #expect(row == reference[split + index], "verification row \(index) differs")
        }
        // The batch's last row is also what a plain `evaluate` of the batch returns.
        verifier.truncate(to: split)
        let last = try verifier.evaluate(Array(tokens[split...]), shouldContinue: { true })
        #expect(last == reference[tokens.count - 1])
    }

    @Test(arguments: [KVCacheType.f32, .f16])
    func syntheticModelBatchesEqualSingleTokens(cache: KVCacheType) throws {
        let synthetic = try SyntheticModel(architecture: .qwen2, tied: false)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        let tokens: [Int32] = [3, 17, 42, 0, 9, 9, 31, 5, 48, 12, 7, 21, 2, 40].map { $0 % Int32(synthetic.vocabulary) }
        try check(model, backend: try CPUBackend(threads: 2), cache: cache, tokens: tokens)
    }

    @Test(.enabled(if: TestModels.available(TestModels.qwen05)))
    func qwenBatchesEqualSingleTokens() throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let model = try TransformerLoader.model(from: try GGUFFile.open(url, mode: .full))
        // Forty ids spread over the vocabulary: the exact tokens do not matter for invariance.
        let tokens = (0..<40).map { Int32(($0 * 3_797 + 151) % 150_000) }
        try check(model, backend: try CPUBackend(threads: 2), cache: .f16, tokens: tokens)
    }
}
