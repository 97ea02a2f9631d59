import Foundation
import MinnowTestSupport
import Testing

/// Builds a package outside the repository that depends on Minnow by version and runs the
/// issue's example on Qwen2.5-Coder-0.5B (`Scripts/check-consumer-package.sh`): a two-turn chat
/// with an app-registered Q4_K kernel, and again on an app backend that `.auto` picks. It builds
/// Minnow's library targets a second time, so it runs in CI (`MINNOW_REQUIRE_MODELS=1`) and
/// with `MINNOW_CONSUMER_TEST=1`, not in every local run.
@Suite struct ConsumerPackageTests {
    static var enabled: Bool {
        let environment = ProcessInfo.processInfo.environment
        let asked = environment["MINNOW_CONSUMER_TEST"] == "1" || TestModels.required
        return asked && TestModels.available(TestModels.qwen05)
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(30)))
    func aVersionedConsumerPackageAnswersBothQuestions() async throws {
        let model = try #require(TestModels.url(TestModels.qwen05))
        let script = TestModels.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/check-consumer-package.sh")
        let work = FileManager.default.temporaryDirectory
            .appendingPathComponent("minnow-consumer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let outputFile = work.appendingPathComponent("output.txt")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputFile)
        let process = Process()
        process.executableURL = script
        process.arguments = [model.path, work.appendingPathComponent("build").path]
        process.standardOutput = output
        // Waits without holding a thread: the build takes minutes.
        let start = ContinuousClock.now
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
        try output.close()
        let text = try String(contentsOf: outputFile, encoding: .utf8)
        print("consumer package: built and ran in \(ContinuousClock.now - start); output: \(text)")
        #expect(process.terminationStatus == 0, "output: \(text)")
        let lines = text.split(separator: "\n")
        // First line: promptTokens cachedTokens generatedTokens of the first turn.
        let counts = lines.first?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(counts.count == 3 && counts[0] > 10 && counts[1] == 0 && counts[2] > 0, "output: \(text)")
        #expect(text.components(separatedBy: "Paris").count == 3, "both chats name Paris; output: \(text)")
        #expect(text.components(separatedBy: "Berlin").count == 3, "both chats name Berlin; output: \(text)")
        func count(after prefix: String) -> Int? {
            lines.first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
        }
        #expect((count(after: "Q4_K kernel calls: ") ?? 0) > 0, "the app's Q4_K kernel ran; output: \(text)")
        #expect(lines.contains { $0.hasPrefix("backend: counting: ") }, ".auto picked the app's backend; output: \(text)")
        #expect((count(after: "graph executions: ") ?? 0) > 0, "the app's backend ran graphs; output: \(text)")
    }
}
