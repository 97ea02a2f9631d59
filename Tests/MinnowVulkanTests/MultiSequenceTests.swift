import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowVulkan
import MinnowTestTraits
import Testing

/// Several sequences in one Vulkan KV cache, their rows evaluated together (each row with its
/// own sequence and position), must give each sequence the logits it gets alone on Vulkan.
@Suite("Vulkan multi-sequence batches", .offPool, .serialized, .enabled(if: VulkanTestDevice.available))
struct MultiSequenceTests {
    // SmolLM2-135M Q4_1, logits O(10-30): the CPU backend's bound for a real model (1e-2, see
    // MinnowEngineTests.MultiSequenceTests). A batched row goes through the same shaders as a
    // lone one, except that matrix products of several rows use the matrix-matrix dispatch,
    // which may reassociate float sums; a row reading another sequence's cache or the wrong
    // position would move logits by whole units.
    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolBatchEqualsSeparateSequences() throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let file = try GGUFFile.open(url, mode: .full)
        let model = try TransformerLoader.model(from: file)
        let vulkan = try VulkanBackend()
        VulkanTestDevice.expectValidationActive(on: vulkan.device)
        #expect(vulkan.capabilities.maxSequences > 1)
        let weights = try vulkan.loadWeights(model.weights)
        let outcome = try MultiSequenceRun(vocabulary: Int32(model.vocabularySize))
            .compare(model, backend: vulkan, weights: weights, cache: .f16)
        print("SmolLM2 on Vulkan: batched vs separate, max logit difference \(outcome.maxDifference)")
        #expect(outcome.tokensKept)
        #expect(outcome.maxDifference < 1e-2, "max logit difference \(outcome.maxDifference)")
        #expect(outcome.sameTopTokens)
        VulkanTestDevice.expectNoValidationErrors()
    }
}
