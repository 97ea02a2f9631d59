import Foundation
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowVulkan
import MinnowTestTraits
import Testing

/// Kept recordings (``VulkanStepRecording``): a decode step replayed from a recording gives
/// exactly the logits of the same step recorded afresh, and a recording never serves another
/// KV cache or weight set.
@Suite("Vulkan recording reuse", .offPool, .serialized, .enabled(if: VulkanTestDevice.available))
struct RecordingReuseTests {
    /// A prompt and then 17 teacher-forced decode steps (the first records, the rest replay).
    static let prompt: [Int32] = Array(ModelTests.smolTokens.prefix(8))
    static let decoded: [Int32] = Array(ModelTests.smolTokens[8..<25])

    /// The logits after the prompt and after every decoded token, on a new session (new weights
    /// and a new KV cache) of `backend`.
    static func run(_ model: TransformerModel, on backend: VulkanBackend) throws -> [[Float]] {
        let session = try ModelSession(model: model, backend: backend, capacity: 64, cacheType: .f16)
        var logits = [try session.evaluate(prompt, shouldContinue: { true })]
        for token in decoded {
            logits.append(try session.evaluate([token], shouldContinue: { true }))
        }
        return logits
    }

    @Test("SmolLM2: 17 replayed decode steps equal freshly recorded ones bit for bit",
          .enabled(if: TestModels.available(TestModels.smolLM2)))
    func replayEqualsRecording() throws {
        let url = try #require(TestModels.url(TestModels.smolLM2), "model \(TestModels.smolLM2) is missing")
        let model = try TransformerLoader.model(from: GGUFFile.open(url, mode: .full))
        let reusing = try VulkanBackend(reuseRecordings: true)
        let fresh = try VulkanBackend(reuseRecordings: false)
        VulkanTestDevice.expectValidationActive(on: reusing.device)
        let recorded = try Self.run(model, on: fresh)
        let replayed = try Self.run(model, on: reusing)
        #expect(fresh.replayCount == 0)
        // One recording per shape (the prompt's, the first decode step's); every later decode
        // step replays.
        #expect(reusing.replayCount == Self.decoded.count - 1, "replays: \(reusing.replayCount)")
        #expect(recorded.count == replayed.count)
        for (step, (a, b)) in zip(recorded, replayed).enumerated() {
            #expect(a == b, "step \(step): logits differ between the fresh recording and the replay")
        }
        // A second session brings a new cache and new weights: its steps must not replay the
        // first session's recordings (they bind the old buffers), but record their own.
        let before = reusing.replayCount
        let again = try Self.run(model, on: reusing)
        #expect(reusing.replayCount == before + Self.decoded.count - 1)
        #expect(again == replayed)
        VulkanTestDevice.expectNoValidationErrors()
    }

    @Test("Decode and small prompt steps get the capacity as score stride; a step past the budget does not",
          .enabled(if: TestModels.available(TestModels.smolLM2)))
    func scoreStridePolicy() throws {
        let url = try #require(TestModels.url(TestModels.smolLM2), "model \(TestModels.smolLM2) is missing")
        let model = try TransformerLoader.model(from: GGUFFile.open(url, mode: .full))
        let limit = 128 << 20
        let decode = try model.graph(batchSize: 1, allLogits: false)
        #expect(VulkanStepRecording.fixedScoreStride(graph: decode, capacity: 8192, limit: limit) == 8192)
        let prompt = try model.graph(batchSize: 32, allLogits: false)
        #expect(VulkanStepRecording.fixedScoreStride(graph: prompt, capacity: 8192, limit: limit) == 8192)
        // SmolLM2 has 9 heads: 512 rows × 9 × 8192 × 4 bytes = 144 MiB, past the 64 MiB budget.
        let long = try model.graph(batchSize: 512, allLogits: false)
        #expect(VulkanStepRecording.fixedScoreStride(graph: long, capacity: 8192, limit: limit) == nil)
        // A device whose binding limit is below one decode step's scores.
        #expect(VulkanStepRecording.fixedScoreStride(graph: decode, capacity: 8192, limit: 1024) == nil)
    }
}
