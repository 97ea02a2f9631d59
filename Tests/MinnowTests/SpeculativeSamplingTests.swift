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

/// The draft length follows the measured acceptance and costs.
@Suite struct DraftLengthControllerTests {
    /// A controller after `steps` steps of `drafted` tokens with `accepted` accepted, where a
    /// verification of n rows takes `base + perRow·(n-1)` seconds and a drafted token `draft`.
    func trained(accepted: Int, drafted: Int, base: Double, perRow: Double, draft: Double) -> DraftLengthController {
        var controller = DraftLengthController(maxLength: 8, isAdaptive: true)
        for step in 0..<40 {
            // Vary the drafted count so that the fit sees several batch sizes.
            let count = max(1, drafted - step % 3)
            let kept = min(accepted, count)
            controller.record(drafted: count, accepted: kept, rows: count + 1, draftingSeconds: draft * Double(count),
                              verifyingSeconds: base + perRow * Double(count))
        }
        return controller
    }

    @Test func draftsLongWhenDraftsAreCheapAndAccepted() {
        var controller = trained(accepted: 8, drafted: 8, base: 0.1, perRow: 0.005, draft: 0.001)
        #expect(controller.nextLength() == 8)
    }

    @Test func stopsDraftingWhenVerificationIsExpensive() {
        // Each verified row costs as much as a whole step: drafting can only lose.
        var controller = trained(accepted: 2, drafted: 4, base: 0.1, perRow: 0.1, draft: 0.03)
        let lengths = (0..<16).map { _ in controller.nextLength() }
        #expect(lengths.filter { $0 == 0 }.count == 15)  // one probe in sixteen steps
        #expect(lengths.last == 1)
    }

    /// A controller whose cost model favours drafting, after one plain step that gained 1 token
    /// in 0.1 s and five drafting steps that gained 3 tokens each in `draftingStepSeconds`.
    func measuredEndToEnd(draftingStepSeconds: Double) -> DraftLengthController {
        var controller = trained(accepted: 8, drafted: 8, base: 0.1, perRow: 0.005, draft: 0.001)
        controller.record(drafted: 0, accepted: 0, rows: 1, draftingSeconds: 0, verifyingSeconds: 0.1, stepSeconds: 0.1)
        for _ in 0..<5 {
            controller.record(drafted: 4, accepted: 2, rows: 5, draftingSeconds: 0.004, verifyingSeconds: 0.12,
                              stepSeconds: draftingStepSeconds)
        }
        return controller
    }

    @Test func stopsDraftingWhenWholeStepsGainLessThanPlainOnes() {
        // 3 tokens in 0.4 s (7.5 t/s) against 10 t/s plain: the model's fit is wrong somewhere.
        var controller = measuredEndToEnd(draftingStepSeconds: 0.4)
        let lengths = (0..<16).map { _ in controller.nextLength() }
        #expect(lengths.filter { $0 == 0 }.count == 15)  // one probe of the model's length
        #expect((lengths.last ?? 0) > 0)
    }

    @Test func keepsDraftingWhenWholeStepsGainMore() {
        // 3 tokens in 0.15 s (20 t/s) against 10 t/s plain.
        var controller = measuredEndToEnd(draftingStepSeconds: 0.15)
        #expect(controller.nextLength() > 0)
    }

    @Test func measuresAPlainStepNowAndThen() {
        var controller = measuredEndToEnd(draftingStepSeconds: 0.15)
        for _ in 0..<40 {
            controller.record(drafted: 4, accepted: 2, rows: 5, draftingSeconds: 0.004, verifyingSeconds: 0.12,
                              stepSeconds: 0.15)
        }
        #expect(controller.nextLength() == 0)
    }

    @Test func aFixedLengthIsKept() {
        var controller = DraftLengthController(maxLength: 5, isAdaptive: false)
        controller.record(drafted: 5, accepted: 0, rows: 6, draftingSeconds: 1, verifyingSeconds: 1)
        #expect(controller.nextLength() == 5)
    }
}
