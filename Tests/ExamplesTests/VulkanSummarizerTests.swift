import Foundation
import MinnowTestSupport
import Testing

/// `minnow-summarize --parallel 4 --backend vulkan`: four documents share each decoding step's
/// forward pass on the GPU (on lavapipe in CI), and every summary equals the one the same
/// documents get one at a time (`--parallel 1`) on Vulkan. Greedy decoding: batched logits
/// equal the lone ones within 1e-2 (`MinnowVulkanTests.MultiSequenceTests`), far below the
/// gaps between SmolLM2's top tokens here, so the texts must match exactly.
///
/// Without a Vulkan device the test skips with a note; with `MINNOW_REQUIRE_VULKAN=1` (CI) it
/// fails instead.
@Suite(.enabled(if: Executables.ready), .serialized, .timeLimit(.minutes(20)))
struct VulkanSummarizerTests {
    var model: String { TestModels.url(TestModels.smolLM2)?.path ?? TestModels.smolLM2 }

    @Test func parallelFourOnVulkanEqualsOneAtATime() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-vk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let documents = [
            "The bakery opens at six.",
            "The match moves to Thursday.",
            "The library lends bicycles.",
            "A bridge opens in spring.",
        ]
        let lines = documents.enumerated().map { i, text in #"{"id": "d\#(i)", "text": "\#(text)"}"# }
        let input = folder.appendingPathComponent("docs.jsonl")
        try lines.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)

        func summaries(parallel: Int) async throws -> [String: String]? {
            let output = folder.appendingPathComponent("out-\(parallel).jsonl").path
            let outcome = try await Executables.run(
                "minnow-summarize",
                ["--model", model, "--input", input.path, "--output", output, "--max-tokens", "4",
                 "--backend", "vulkan", "--parallel", "\(parallel)", "--context", "256"],
                limit: .seconds(900))
            if outcome.status != 0, outcome.standardError.contains("Vulkan unavailable"),
               ProcessInfo.processInfo.environment["MINNOW_REQUIRE_VULKAN"] != "1" {
                print("note: skipping minnow-summarize on Vulkan: \(outcome.standardError)")
                return nil
            }
            #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
            var result: [String: String] = [:]
            for line in try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n") {
                let record = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let id = try #require(record["id"] as? String)
                result[id] = try #require(record["summary"] as? String)
                #expect((record["generatedTokens"] as? Int ?? 0) > 0)
            }
            return result
        }

        guard let batched = try await summaries(parallel: 4) else { return }
        let alone = try #require(try await summaries(parallel: 1))
        #expect(batched.count == documents.count)
        #expect(batched == alone)
    }
}
