import Foundation
import MinnowTestSupport
import Testing

/// Builds a package outside the repository that depends on Minnow by version and runs the
/// issue's example on Qwen2.5-Coder-0.5B. It builds all of Minnow again in release mode (several
/// minutes on 2 cores), so it runs only with `MINNOW_CONSUMER_TEST=1`.
@Suite struct ConsumerPackageTests {
    static var enabled: Bool {
        ProcessInfo.processInfo.environment["MINNOW_CONSUMER_TEST"] == "1" && TestModels.available(TestModels.qwen05)
    }

    @Test(.enabled(if: enabled), .timeLimit(.minutes(30)))
    func aVersionedConsumerPackageAnswersBothQuestions() throws {
        let model = try #require(TestModels.url(TestModels.qwen05))
        let script = TestModels.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/check-consumer-package.sh")
        let process = Process()
        process.executableURL = script
        process.arguments = [model.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "output: \(text)")
        let lines = text.split(separator: "\n")
        // First line: promptTokens cachedTokens generatedTokens of the first turn.
        let counts = lines.first?.split(separator: " ").compactMap { Int($0) } ?? []
        #expect(counts.count == 3 && counts[0] > 10 && counts[1] == 0 && counts[2] > 0, "output: \(text)")
        #expect(text.contains("Paris"), "output: \(text)")
        #expect(text.contains("Berlin"), "output: \(text)")
    }
}
