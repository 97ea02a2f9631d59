import Foundation
import MinnowTestSupport

/// Runs the built `minnow-chat` and `minnow-summarize` executables, as a user would.
enum Executables {
    /// The folder of the built products: `$MINNOW_EXAMPLES_BIN` if set, else the one holding
    /// this test bundle, else `.build/release` or `.build/debug` of this repository.
    static func url(_ name: String) -> URL? {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates: [URL] = []
        if let folder = ProcessInfo.processInfo.environment["MINNOW_EXAMPLES_BIN"], !folder.isEmpty {
            candidates.append(URL(fileURLWithPath: folder))
        }
        candidates += [
            URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent(),
            Bundle.main.bundleURL,
            Bundle.main.bundleURL.deletingLastPathComponent(),
            repository.appendingPathComponent(".build/release"),
            repository.appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let file = folder.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: file.path) { return file }
        }
        return nil
    }

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

/// Reads a file handle to its end on a thread of its own.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock(); data.append(chunk); lock.unlock()
            }
            done.signal()
        }.start()
    }

    /// What has been read so far.
    var text: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits for the end of the stream and returns everything.
    func finish() -> String {
        done.wait()
        return text
    }
}
