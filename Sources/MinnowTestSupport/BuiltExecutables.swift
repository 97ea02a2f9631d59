import Foundation

/// Locates the package's built executables (`minnow`, `minnow-chat`, `minnow-summarize`) for the
/// tests that run them as a user would.
public enum BuiltExecutables {
    /// The file of the executable `name`: in `$MINNOW_EXAMPLES_BIN` if set, else beside the running
    /// test bundle, else in `.build/release` or `.build/debug` of this repository; nil if not built.
    public static func url(_ name: String) -> URL? {
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

    /// Whether the tests that run the executable `name` should run: yes when it is built, and
    /// also when `MINNOW_REQUIRE_MODELS=1` (CI), so that they run and fail instead of passing by
    /// skipping; otherwise prints a note naming `tests` and returns false.
    public static func available(_ name: String, for tests: String) -> Bool {
        if url(name) != nil || TestModels.required { return true }
        FileHandle.standardError.write(Data("note: skipping \(tests): the \(name) executable is not built\n".utf8))
        return false
    }

    /// The executable `name`, or a ``Missing`` error naming it.
    public static func require(_ name: String) throws -> URL {
        guard let url = url(name) else { throw Missing(name: name) }
        return url
    }

    /// An executable the tests need is not built.
    public struct Missing: Error, CustomStringConvertible {
        /// The executable's name.
        public var name: String
        /// A one-line explanation.
        public var description: String { "the \(name) executable is not built (swift build builds it)" }
    }

    /// What a finished run of an executable printed, and how it ended.
    public struct Outcome: Sendable {
        /// The exit status, or the signal number when `signaled`.
        public var status: Int32
        /// Whether a signal ended it (a crash).
        public var signaled: Bool
        /// Its standard output.
        public var stdout: String
        /// Its standard error.
        public var stderr: String
        /// How long it ran.
        public var elapsed: Duration
    }

    /// Runs the executable at `executable` with `arguments` and no input, in the test's
    /// environment plus `environment`, and waits for it.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> Outcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let start = ContinuousClock.now
        try process.run()
        let outData = Collector(out.fileHandleForReading)
        let errData = Collector(err.fileHandleForReading)
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                       stdout: outData.finish(), stderr: errData.finish(),
                       elapsed: ContinuousClock.now - start)
    }
}
