import Foundation
import MinnowTestTraits
import Testing
import MinnowEngine

@Suite(.offPool) struct SyntheticModelTests {
    static let tokens = [3, 17, 42, 0, 9, 9, 31, 5, 48, 12, 7]

    /// Largest absolute difference between the engine's and the naive model's logits.
    private func maxError(architecture: ModelArchitecture, tied: Bool, cache: KVCacheType, threads: Int, batch: Int) throws -> Double {
        let synthetic = try SyntheticModel(architecture: architecture, tied: tied)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        #expect(model.tiedEmbeddings == tied)
        let session = try ModelSession(model: model, backend: try CPUBackend(threads: threads), capacity: 32, cacheType: cache, maxBatch: batch)
        let reference = synthetic.referenceLogits(Self.tokens)
        var worst = 0.0
        try session.evaluateAll(Self.tokens.map(Int32.init), batch: batch) { i, logits in
            #expect(logits.count == synthetic.vocabulary)
            for (a, b) in zip(logits, reference[i]) { worst = max(worst, abs(Double(a) - b)) }
        }
        return worst
    }

    // Logits here are O(1–10). F32 everywhere keeps the error at float rounding (~1e-5);
    // the F16 cache (11-bit mantissa) on keys, values and the rounded query adds ~1e-3 relative.
    @Test(arguments: [ModelArchitecture.llama, .qwen2])
    func matchesNaiveForwardPass(architecture: ModelArchitecture) throws {
        #expect(try maxError(architecture: architecture, tied: false, cache: .f32, threads: 2, batch: 4) < 1e-3)
        #expect(try maxError(architecture: architecture, tied: true, cache: .f32, threads: 1, batch: 1) < 1e-3)
        #expect(try maxError(architecture: architecture, tied: true, cache: .f16, threads: 2, batch: 16) < 3e-2)
    }

    @Test func lastLogitsEqualAllLogitsLastRow() throws {
        let synthetic = try SyntheticModel(architecture: .qwen2, tied: false)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        let backend = try CPUBackend(threads: 2)
        let a = try ModelSession(model: model, backend: backend, capacity: 32, maxBatch: 3)
        let last = try a.evaluate(Self.tokens.map(Int32.init), shouldContinue: { true })
        #expect(a.tokens.count == Self.tokens.count)
        let b = try ModelSession(model: model, backend: backend, capacity: 32)
        var all: [Float] = []
        try b.evaluateAll(Self.tokens.map(Int32.init)) { i, logits in if i == Self.tokens.count - 1 { all = Array(logits) } }
        // Same arithmetic, different batching: identical up to float reassociation.
        for (x, y) in zip(last, all) { #expect(abs(x - y) < 1e-4) }
    }

    @Test func truncateAndReevaluate() throws {
        let synthetic = try SyntheticModel(architecture: .llama, tied: true)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        let session = try ModelSession(model: model, backend: try CPUBackend(threads: 1), capacity: 16)
        let first = try session.evaluate([1, 2, 3, 4], shouldContinue: { true })
        _ = try session.evaluate([5, 6], shouldContinue: { true })
        session.truncate(to: 3)
        #expect(session.tokens == [1, 2, 3])
        let again = try session.evaluate([4], shouldContinue: { true })
        // The same token at the same position over the same cache: bit-identical.
        #expect(first == again)
    }

    @Test func errors() throws {
        let synthetic = try SyntheticModel(architecture: .llama, tied: true)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        let session = try ModelSession(model: model, backend: try CPUBackend(threads: 1), capacity: 4, maxBatch: 1)
        #expect(throws: EvaluationError.contextFull(capacity: 4, requested: 5)) {
            try session.evaluate([1, 2, 3, 4, 5], shouldContinue: { true })
        }
        #expect(throws: EvaluationError.invalidToken(50)) { try session.evaluate([50], shouldContinue: { true }) }
        #expect(throws: EvaluationError.cancelled) { try session.evaluate([1, 2, 3], shouldContinue: { false }) }
        #expect(session.tokens == [1])
        #expect(throws: ModelConfigError.unsupportedArchitecture("gpt2")) {
            try TransformerConfig(metadata: DictionaryMetadata(["general.architecture": "gpt2"]))
        }
    }
}
