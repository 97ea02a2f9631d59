import Foundation
import Testing
import MinnowTestSupport

/// `minnow complete`, run as a built executable, on GGUF files whose tensor data is cut.
@Suite(.serialized, .timeLimit(.minutes(2))) struct CompleteCommandTests {
    /// The built `minnow`, or nil (and a note) when it is not built and not required.
    static var minnow: URL? {
        if let url = BuiltExecutables.url("minnow") { return url }
        FileHandle.standardError.write(Data("note: minnow is not built; build it first\n".utf8))
        return nil
    }

    static var ready: Bool { minnow != nil || TestModels.required }

    /// Runs `minnow complete` on `model` and expects a clear error: a non-zero exit (no crash),
    /// nothing on standard output, and the truncation named on standard error.
    static func expectTruncationError(_ model: URL) throws {
        let minnow = try #require(Self.minnow, "minnow is not built")
        let run = try BuiltExecutables.run(minnow, [
            "complete", "--model", model.path, "--prompt", "Hello", "--max-tokens", "4", "--threads", "1",
        ])
        #expect(!run.signaled, "minnow crashed (signal \(run.status)): \(run.stderr)")
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("tensor data truncated"), "stderr: \(run.stderr)")
    }

    @Test(.enabled(if: ready && TestModels.available(TestModels.r1Header)))
    func r1HeaderFileIsAClearError() throws {
        try Self.expectTruncationError(try #require(TestModels.url(TestModels.r1Header)))
    }

    @Test(.enabled(if: ready && TestModels.available(TestModels.smolLM2)))
    func cutSmolLM2IsAClearError() throws {
        let cut = try CutModelFile(of: try #require(TestModels.url(TestModels.smolLM2)), bytes: 20_000_000)
        defer { cut.remove() }
        try Self.expectTruncationError(cut.url)
    }
}
