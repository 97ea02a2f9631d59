import Foundation
import MinnowTestSupport
import Testing

/// The example programs, run as built executables on SmolLM2-135M (the fastest real model).
/// Greedy decoding and short answers keep each run to a few seconds in a release build.
@Suite(.enabled(if: Executables.ready), .serialized, .timeLimit(.minutes(5)))
struct EndToEndTests {
    var model: String { TestModels.url(TestModels.smolLM2)?.path ?? TestModels.smolLM2 }

    @Test func chatReadsPipedPromptsAndQuits() async throws {
        let outcome = try await Executables.run(
            "minnow-chat", ["--model", model, "--temperature", "0", "--max-tokens", "16", "--backend", "cpu"],
            input: "What is the capital of France?\n/think budget 8\n/stats\nName a color.\n/quit\nnot read\n")
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let out = outcome.standardOutput
        #expect(out.contains("(reasoning budget: 8 tokens)"))
        #expect(out.contains("last answer:"))
        // Two answers were printed: something before and after the /stats output.
        let parts = out.components(separatedBy: "(reasoning budget")
        #expect(parts.count == 2 && !parts[0].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        let afterStats = out.components(separatedBy: "thinking budget").last ?? ""
        #expect(!afterStats.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func chatOnAPseudoTerminalStopsAnAnswerOnCtrlCAndGoesOn() async throws {
        let terminal = try PseudoTerminal()
        guard let executable = Executables.url("minnow-chat") else { throw EndToEndError.notBuilt("minnow-chat") }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--model", model, "--temperature", "0", "--max-tokens", "400", "--backend", "cpu",
                             "--context", "1024"]
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        process.environment = environment
        process.standardInput = terminal.replica
        process.standardOutput = terminal.replica
        process.standardError = terminal.replica
        try process.run()
        let output = Collector(terminal.primary)
        defer { if process.isRunning { process.terminate() } }

        try await waitFor(output, toContain: "> ", after: 0)
        terminal.type("Write a very long story about a dragon who counts to one thousand.\n")
        let mark = output.text.count
        // Wait until the answer is being streamed, then press Ctrl-C (SIGINT to the program).
        try await waitFor(output, toGrowBy: 100, after: mark)
        kill(process.processIdentifier, SIGINT)
        try await waitFor(output, toContain: "[stopped]", after: mark)
        #expect(process.isRunning)  // Ctrl-C stopped the answer, not the program
        let secondMark = output.text.count
        terminal.type("Say hello.\n")
        try await waitFor(output, toContain: "> ", after: secondMark + 12)
        terminal.type("/quit\n")
        try await Executables.waitForExit(process, limit: .seconds(30))
        #expect(process.terminationStatus == 0)
    }

    @Test func summarizerWritesSkipsBadLinesAndResumes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var lines = (1...3).map {
            #"{"id": "d\#($0)", "text": "The town of Number \#($0) has a bakery, a river and \#($0) bridges. People like the bread."}"#
        }
        lines.insert(#"{"id": "broken", "text": "#, at: 2)
        try lines.joined(separator: "\n").write(to: folder.appendingPathComponent("docs.jsonl"), atomically: true, encoding: .utf8)
        try "A short note: the meeting moved to Friday at noon."
            .write(to: folder.appendingPathComponent("note.txt"), atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.jsonl").path
        let arguments = ["--model", model, "--input", folder.path, "--output", output, "--max-tokens", "12",
                         "--backend", "cpu", "--parallel", "2"]

        let first = try await Executables.run("minnow-summarize", arguments)
        #expect(first.status == 2)  // one input line was bad
        #expect(first.standardError.contains("docs.jsonl:3: not valid JSON"))
        let records = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(records.count == 4)
        for record in records {
            #expect(record["id"] is String)
            #expect(record["summary"] is String)
            #expect((record["promptTokens"] as? Int ?? 0) > 0)
            #expect((record["generatedTokens"] as? Int ?? 0) > 0)
            #expect(record["ms"] is Int)
        }

        let second = try await Executables.run("minnow-summarize", arguments)
        #expect(second.status == 2)
        #expect(second.standardError.contains("0 written, 4 already in the output"))
        #expect(try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").count == 4)
    }

    private func waitFor(_ output: Collector, toContain text: String, after offset: Int,
                         limit: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + limit
        while !String(output.text.dropFirst(offset)).contains(text) {
            if ContinuousClock.now > deadline { throw EndToEndError.timedOut }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    private func waitFor(_ output: Collector, toGrowBy count: Int, after offset: Int,
                         limit: Duration = .seconds(120)) async throws {
        let deadline = ContinuousClock.now + limit
        while output.text.count < offset + count {
            if ContinuousClock.now > deadline { throw EndToEndError.timedOut }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A pseudo-terminal pair: the program gets the replica as its terminal, the test types into
/// and reads from the primary.
final class PseudoTerminal: @unchecked Sendable {
    let primary: FileHandle
    let replica: FileHandle

    init() throws {
        // /dev/ptmx, unlocked with TIOCSPTLCK, its number from TIOCGPTN (Linux ioctls; the
        // glibc wrappers posix_openpt/grantpt are not visible from Swift).
        let fd = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard fd >= 0 else { throw EndToEndError.pseudoTerminal }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(fd, UInt(0x4004_5431), &unlock) == 0, ioctl(fd, UInt(0x8004_5430), &number) == 0 else {
            close(fd)
            throw EndToEndError.pseudoTerminal
        }
        let replicaFD = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard replicaFD >= 0 else { close(fd); throw EndToEndError.pseudoTerminal }
        primary = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        replica = FileHandle(fileDescriptor: replicaFD, closeOnDealloc: true)
    }

    /// Types `text` as if at the keyboard.
    func type(_ text: String) {
        primary.write(Data(text.utf8))
    }
}
