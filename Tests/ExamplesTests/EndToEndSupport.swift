import Foundation
import MinnowTestSupport

/// Runs the built `minnow-chat` and `minnow-summarize` executables, as a user would.
enum Executables {
    /// The built executable `name` (see ``BuiltExecutables/url(_:)``).
    static func url(_ name: String) -> URL? { BuiltExecutables.url(name) }

    /// Whether both executables are built and SmolLM2 is present (or required).
    static var ready: Bool {
        guard TestModels.available(TestModels.smolLM2) else { return false }
        if url("minnow-chat") == nil || url("minnow-summarize") == nil {
            FileHandle.standardError.write(Data("note: minnow-chat/minnow-summarize not built; build them first\n".utf8))
            return TestModels.required
        }
        return true
    }

    /// What a finished run printed, and its status.
    struct Outcome {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    /// Runs `name` with `arguments`, feeding `input` on a pipe, and waits (at most `limit`).
    static func run(_ name: String, _ arguments: [String], input: String = "",
                    limit: Duration = .seconds(240)) async throws -> Outcome {
        guard let executable = url(name) else { throw EndToEndError.notBuilt(name) }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let outData = Collector(stdout.fileHandleForReading)
        let errData = Collector(stderr.fileHandleForReading)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        try await waitForExit(process, limit: limit)
        return Outcome(status: process.terminationStatus, standardOutput: outData.finish(), standardError: errData.finish())
    }

    /// Waits for `process` to end, killing it after `limit`.
    static func waitForExit(_ process: Process, limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw EndToEndError.timedOut
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

enum EndToEndError: Error {
    case notBuilt(String)
    case timedOut
    case pseudoTerminal
}
