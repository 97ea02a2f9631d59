import Foundation
import MinnowTestSupport
import Testing

/// `minnow-chat --prompt-cache`: one process evaluates the system prompt and saves it, a new
/// process restores it and answers exactly as a process that evaluated it afresh.
@Suite(.enabled(if: Executables.ready), .serialized, .timeLimit(.minutes(5)))
struct PromptCacheEndToEndTests {
    var model: String { TestModels.url(TestModels.smolLM2)?.path ?? TestModels.smolLM2 }
    static let system = "You are a helpful assistant. Answer questions about geography in one short sentence."

    func chat(_ extra: [String]) async throws -> Executables.Outcome {
        try await Executables.run(
            "minnow-chat", ["--model", model, "--temperature", "0", "--max-tokens", "16", "--backend", "cpu"] + extra,
            input: "What is the capital of France?\n/stats\n")
    }

    @Test func aRestoredSystemPromptAnswersLikeAFreshOne() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-pc-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = folder.appendingPathComponent("system.kvcache").path

        let fresh = try await chat(["--system", Self.system])
        #expect(fresh.status == 0, "\(fresh.standardError)")
        let saving = try await chat(["--system", Self.system, "--prompt-cache", cache])
        #expect(saving.status == 0, "\(saving.standardError)")
        #expect(saving.standardError.contains("saved it to"))
        let restored = try await chat(["--prompt-cache", cache])
        #expect(restored.status == 0, "\(restored.standardError)")
        #expect(restored.standardError.contains("restored the prompt cache"))

        func answer(_ outcome: Executables.Outcome) -> String {
            outcome.standardOutput.components(separatedBy: "last answer:").first ?? ""
        }
        #expect(!answer(fresh).isEmpty)
        #expect(answer(restored) == answer(fresh))
        // The restored process evaluated only the question, not the system prompt.
        #expect(restored.standardOutput.contains("(0 cached)") == false)
        #expect(fresh.standardOutput.contains("(0 cached)"))

        // A damaged cache is refused with a clear message, not used.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: cache))
        bytes[bytes.count - 50] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: cache))
        let refused = try await chat(["--prompt-cache", cache])
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("checksum mismatch"), "\(refused.standardError)")
    }
}
