import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowVulkan
import MinnowTestTraits
import Testing

/// The whole model on Vulkan against the CPU backend, teacher-forced: the same token
/// sequence is evaluated on both, and every position's logits are compared.
@Suite("Vulkan model", .offPool, .serialized, .enabled(if: VulkanTestDevice.available))
struct ModelTests {
    /// Token ids of two English sentences in SmolLM2's vocabulary (`minnow tokenize`; any valid
    /// ids would do: the comparison is between backends, not against a reference text).
    static let smolTokens: [Int32] = [1, 504, 3458, 2134, 282, 30, 4225, 29,
                                      504, 32339, 335, 260, 7448, 10573, 418, 2976, 897, 5738, 28,
                                      284, 260, 1761, 327, 3961, 6956, 9732, 260, 7280, 30]

    struct Comparison {
        var positions = 0
        var top1Agree = 0
        /// Positions where the top-1 tokens differ and the CPU's is not a near-tie on Vulkan
        /// (within Vulkan's top 5 and within 0.5 logit of Vulkan's top-1).
        var nonTies = 0
        var maxTop5Diff: Float = 0
        var sumSquares: Double = 0
        var count = 0
        var rms: Float { count == 0 ? 0 : Float((sumSquares / Double(count)).squareRoot()) }
        /// Over every logit of every position: the squared differences, and the squared CPU
        /// logits (for the RMS difference relative to the logits' own RMS).
        var vocabularyDifferenceSquares: Double = 0
        var vocabularySquares: Double = 0
        var relativeRMS: Double {
            vocabularySquares == 0 ? 0 : (vocabularyDifferenceSquares / vocabularySquares).squareRoot()
        }
    }

    static func compare(modelName: String, tokens: [Int32], batch: Int) throws -> Comparison {
        let url = try #require(TestModels.url(modelName), "model \(modelName) is missing")
        let file = try GGUFFile.open(url, mode: .full)
        let model = try TransformerLoader.model(from: file)
        let vulkan = try VulkanBackend()
        VulkanTestDevice.expectValidationActive(on: vulkan.device)
        let cpu = try CPUBackend()
        let onGPU = try ModelSession(model: model, backend: vulkan, capacity: 64, cacheType: .f16)
        let onCPU = try ModelSession(model: model, backend: cpu, capacity: 64, cacheType: .f16)
        var gpuLogits: [[Float]] = []
        try onGPU.evaluateAll(tokens, batch: batch) { _, logits in gpuLogits.append(Array(logits)) }
        var result = Comparison()
        try onCPU.evaluateAll(tokens, batch: batch) { i, logits in
            let ref = Array(logits)
            let got = gpuLogits[i]
            let top5 = ref.indices.sorted { ref[$0] > ref[$1] }.prefix(5)
            let gotTop = got.indices.max { got[$0] < got[$1] } ?? 0
            result.positions += 1
            if gotTop == top5.first {
                result.top1Agree += 1
            } else if let cpuTop = top5.first {
                let gotTop5 = got.indices.sorted { got[$0] > got[$1] }.prefix(5)
                if !gotTop5.contains(cpuTop) || got[gotTop] - got[cpuTop] > 0.5 { result.nonTies += 1 }
            }
            for j in ref.indices {
                let d = Double(got[j] - ref[j])
                result.vocabularyDifferenceSquares += d * d
                result.vocabularySquares += Double(ref[j]) * Double(ref[j])
            }
            for j in top5 {
                let d = abs(got[j] - ref[j])
                result.maxTop5Diff = max(result.maxTop5Diff, d)
                result.sumSquares += Double(d * d)
                result.count += 1
            }
        }
        return result
    }

    @Test("SmolLM2-135M (llama, Q4_1): Vulkan logits match the CPU backend",
          .enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2() throws {
        // Batches of 5 tokens (the last of 4): the matrix-matrix path, a cache already holding
        // tokens, and (on lavapipe, about a second per batch) a small CI cost.
        let c = try Self.compare(modelName: TestModels.smolLM2, tokens: Self.smolTokens, batch: 5)
        print("SmolLM2 Vulkan vs CPU: top-1 agreement \(c.top1Agree)/\(c.positions), top-5 logit RMS diff \(c.rms), max \(c.maxTop5Diff), whole-vocabulary RMS diff \(c.relativeRMS * 100)% of the logits' RMS")
        // The standard the CPU backend meets against llama.cpp: every disagreement a near-tie
        // (both tokens in Vulkan's top 5, within 0.5 logit). The CPU quantizes activations to 8
        // bits before its dot products and the shaders keep them in float, so near-ties flip:
        // measured over these 29 positions with the CPU's avx512, avx2 and portable kernels,
        // 26, 27 and 26 agree. One flip more than that fails.
        #expect(c.nonTies == 0)
        #expect(c.top1Agree >= c.positions - 4)
        // Over every logit of every position, the difference's RMS relative to the logits' RMS
        // measured 2.70%, 2.42% and 2.98% (avx512, avx2, portable); the largest top-5 difference
        // 1.00, 0.69 and 0.98. The bounds sit just outside them.
        #expect(c.relativeRMS < 0.035)
        #expect(c.maxTop5Diff < 1.25)
        VulkanTestDevice.expectNoValidationErrors()
    }
}
