import Minnow
import Testing

/// The rejection rule of speculative sampling: whatever the drafter's distribution `q`, the
/// token that comes out (the draft when accepted, a draw from `max(0, p - q)` otherwise) follows
/// the model's distribution `p`.
@Suite struct SpeculativeSamplingTests {
    /// Frequencies of the verified token over `trials` drafts drawn from `q` (nil: always
    /// `fixed`).
    func frequencies(p: [Float], q: [Float]?, fixed: Int32 = 0, trials: Int) -> [Double] {
        var random = SeededRandomNumberGenerator(seed: 42)
        var counts = [Int](repeating: 0, count: p.count)
        for _ in 0..<trials {
            let token = q.map { DenseDistribution.draw($0, using: &random) ?? 0 } ?? fixed
            let out = DenseDistribution.verify(token: token, draft: q, target: p, using: &random) ?? token
            counts[Int(out)] += 1
        }
        return counts.map { Double($0) / Double(trials) }
    }

    // 200,000 trials: a frequency's standard deviation is at most sqrt(0.25 / 2e5) ≈ 0.0011, so
    // 0.006 is over five standard deviations; a wrong rule (always accepting, say) is off by
    // 0.1 or more here.
    static let tolerance = 0.006

    @Test func aSampledDraftYieldsTheModelsDistribution() {
        let p: [Float] = [0.5, 0.3, 0.2, 0]
        let q: [Float] = [0.1, 0.2, 0.3, 0.4]
        for (f, expected) in zip(frequencies(p: p, q: q, trials: 200_000), p) {
            #expect(abs(f - Double(expected)) < Self.tolerance, "\(f) vs \(expected)")
        }
    }

    @Test func aFixedDraftYieldsTheModelsDistribution() {
        let p: [Float] = [0.25, 0.6, 0.15]
        for fixed in [Int32(0), 1, 2] {
            for (f, expected) in zip(frequencies(p: p, q: nil, fixed: fixed, trials: 200_000), p) {
                #expect(abs(f - Double(expected)) < Self.tolerance, "draft \(fixed): \(f) vs \(expected)")
            }
        }
    }

    @Test func greedyTargetsUseNoRandomness() {
        var random = SeededRandomNumberGenerator(seed: 1)
        let before = random
        #expect(DenseDistribution.verify(token: 2, draft: nil, target: [0, 0, 1], using: &random) == nil)
        #expect(DenseDistribution.verify(token: 1, draft: nil, target: [0, 0, 1], using: &random) == 2)
        #expect(random.next() == { var copy = before; return copy.next() }())
    }
}
