import Foundation
import MinnowEngine
import MinnowTestSupport
import MinnowTestTraits
import Testing

/// Llama 3 RoPE scaling against llama.cpp, on a tiny random Llama model written by gguf-py
/// (`Scripts/make-rope-fixture.py`): `rope.scaling.type = llama3` with its `rope_freqs.weight`
/// divisors, grouped-query attention, and 64 positions, twice the original context of 32, so that
/// the scaled frequencies matter.
@Suite(.offPool) struct Llama3RoPETests {
    struct Fixture: Decodable {
        var model: String
        var ids: [Int]
        var vocabulary: Int
        var divisors: [Float]
        var logits: String
    }

    static func fixture() throws -> Fixture {
        let url = TestModels.fixtures.appendingPathComponent("engine/llama3-rope.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// Minnow's divisors from the metadata equal the ones the fixture script computed by the
    /// Llama 3 rule (as Hugging Face's conversion does), up to float rounding.
    @Test func divisorsFollowTheLlama3Rule() throws {
        let fixture = try Self.fixture()
        let scaling = Llama3RoPEScaling(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContextLength: 32)
        let ours = scaling.frequencyFactors(dimensions: 16, frequencyBase: 10_000)
        #expect(ours.count == fixture.divisors.count)
        // All three bands occur: kept (1), divided by the factor (8), and blended.
        #expect(fixture.divisors.contains(1) && fixture.divisors.contains(8) && fixture.divisors.contains { $0 > 1 && $0 < 8 })
        for (a, b) in zip(ours, fixture.divisors) { #expect(abs(a - b) <= 1e-6 * b, "\(a) vs \(b)") }
    }

    /// Every position's logits against llama.cpp's. Both run F32 weights; llama.cpp keeps its
    /// KV cache in F16 and sums in another order, so logits differ by float rounding only. The
    /// bounds sit above the measured differences (max 0.0055, RMS 0.00059 on 2026-12-02, top-1 equal at all 64 positions) and far
    /// below what a wrong frequency does: with the divisors ignored, positions past 32 move by
    /// whole logits (max 8.7, RMS 1.8 past position 32).
    @Test func logitsMatchLlamaCpp() throws {
        let fixture = try Self.fixture()
        let reference = QuantFixtureFloats.decode(fixture.logits)
        #expect(reference.count == fixture.ids.count * fixture.vocabulary)
        let model = try TransformerLoader.load(TestModels.fixtures.appendingPathComponent("engine/\(fixture.model)"))
        let session = try ModelSession(model: model, backend: try CPUBackend(threads: 2), capacity: fixture.ids.count)
        var maximum: Float = 0
        var squares: Double = 0
        var sameTop = 0
        try session.evaluateAll(fixture.ids.map(Int32.init)) { position, logits in
            let theirs = Array(reference[(position * fixture.vocabulary)..<((position + 1) * fixture.vocabulary)])
            for (a, b) in zip(logits, theirs) {
                maximum = max(maximum, abs(a - b))
                squares += Double((a - b) * (a - b))
            }
            if Self.argmax(Array(logits)) == Self.argmax(theirs) { sameTop += 1 }
        }
        let rms = (squares / Double(reference.count)).squareRoot()
        print("llama3 RoPE vs llama.cpp: max |Δ| \(maximum), RMS \(rms), same top-1 at \(sameTop)/\(fixture.ids.count)")
        #expect(maximum < 0.01)
        #expect(rms < 0.001)
        #expect(sameTop == fixture.ids.count)
    }
}

extension Llama3RoPETests {
    static func argmax(_ values: [Float]) -> Int? { values.indices.max { values[$0] < values[$1] } }
}

/// Little-endian float32 arrays stored as base64 in the fixtures.
enum QuantFixtureFloats {
    static func decode(_ base64: String) -> [Float] {
        guard let data = Data(base64Encoded: base64) else { return [] }
        return data.withUnsafeBytes { raw in
            stride(from: 0, to: raw.count - 3, by: 4).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0, as: UInt32.self)) }
        }
    }
}
