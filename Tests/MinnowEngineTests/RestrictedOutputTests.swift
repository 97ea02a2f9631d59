import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowTestTraits
import Testing

/// A draft model's trimmed output head (``TransformerModel/restrictingOutput(to:)``): the
/// gathered matrix's logits are the full matrix's at the kept ids, bit for bit, from the file's
/// rows and from the CPU backend's repacked copies, one token and a batch at a time.
@Suite(.offPool) struct RestrictedOutputTests {
    /// Evaluates `tokens` (one, then the rest as a batch) on `model` and on `model` restricted to
    /// `rows`, and compares every logit row at the kept ids.
    func check(_ model: TransformerModel, rows: [Int], tokens: [Int32], placement: WeightPlacement) throws {
        let backend = try CPUBackend(threads: 2, weightPlacement: placement)
        let restricted = try model.restrictingOutput(to: rows)
        #expect(restricted.vocabularySize == rows.count)
        #expect(model.vocabularySize > rows.count)
        let full = try ModelSession(model: model, backend: backend, capacity: 64)
        let trimmed = try ModelSession(model: restricted, backend: backend, capacity: 64)
        #expect(trimmed.vocabularySize == rows.count)
        let expected = [try full.evaluate([tokens[0]], shouldContinue: { true })] + (try full.evaluateEach(Array(tokens.dropFirst())))
        let actual = [try trimmed.evaluate([tokens[0]], shouldContinue: { true })] + (try trimmed.evaluateEach(Array(tokens.dropFirst())))
        for (position, (all, kept)) in zip(expected, actual).enumerated() {
            #expect(kept.count == rows.count)
            let mismatches = rows.indices.filter { kept[$0].bitPattern != all[rows[$0]].bitPattern }
            #expect(mismatches.isEmpty, "position \(position): \(mismatches.count) logits differ, first at row \(mismatches.first ?? -1)")
        }
    }

    @Test(arguments: [WeightPlacement.mapped, .copied])
    func syntheticTiedOutputKeepsItsRows(placement: WeightPlacement) throws {
        let synthetic = try SyntheticModel(architecture: .qwen2, tied: true)
        let model = try TransformerModel(config: synthetic.config, weights: synthetic.weightSet())
        #expect(model.tiedEmbeddings)
        let rows = stride(from: 1, to: synthetic.vocabulary, by: 3).map { $0 }
        try check(model, rows: rows, tokens: [3, 17, 42, 9, 5].map { $0 % Int32(synthetic.vocabulary) }, placement: placement)
    }

    @Test(.enabled(if: TestModels.available(TestModels.qwen05)), arguments: [WeightPlacement.mapped, .copied])
    func qwenQ8OutputKeepsItsRows(placement: WeightPlacement) throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let model = try TransformerLoader.model(from: try GGUFFile.open(url, mode: .full))
        // Qwen2.5-Coder-0.5B Q4_K_M has its own Q8_0 output matrix (its token embedding is Q5_0).
        #expect(!model.tiedEmbeddings)
        #expect(model.weights.infos.first { $0.name == "output.weight" }?.type == .q8_0)
        // The leading ids, the special ones, and a few scattered: 2,056 rows, a multiple of 8
        // (for the repacked kernel) made of rows that are not contiguous in the file.
        let rows = Array(0..<2_000) + Array(151_643..<151_665) + (0..<34).map { 40_000 + $0 * 3_001 }
        try check(model, rows: rows.sorted(), tokens: [151_644, 8_948, 198, 2_610, 525, 264], placement: placement)
    }
}
