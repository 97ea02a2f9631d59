import Foundation
import Minnow
import MinnowTestSupport
import Testing

/// 200 generations on Qwen2.5-Coder-0.5B at temperature 1.0, 20 for each of the 10 schemas in
/// `Tests/Fixtures/grammar/schemas`, constrained by the schema; every one must validate with
/// Python's `jsonschema` (`Scripts/validate-json-outputs.py`; formats are not checked by it).
///
/// Batched 8 at a time through ``BatchGenerator``, so that the constraint is exercised where
/// the server uses it. With `MINNOW_JSON_UNCONSTRAINED=1` the same prompts run without the
/// constraint and the invalid share is only printed (see docs/structured-output.md).
@Suite struct JSONSchemaGenerationTests {
    /// Generations per schema (`MINNOW_JSON_PER_SCHEMA` overrides, for a quick look).
    static var perSchema: Int {
        Int(ProcessInfo.processInfo.environment["MINNOW_JSON_PER_SCHEMA"] ?? "") ?? 20
    }

    @Test(.enabled(if: TestModels.available(TestModels.qwen05)), .timeLimit(.minutes(20)))
    func generationsValidateAgainstTheirSchemas() async throws {
        let unconstrained = ProcessInfo.processInfo.environment["MINNOW_JSON_UNCONSTRAINED"] == "1"
        let folder = TestModels.fixtures.appendingPathComponent("grammar/schemas")
        let prompts = try JSONDecoder().decode(
            [String: String].self, from: Data(contentsOf: folder.appendingPathComponent("prompts.json")))
        let url = try #require(TestModels.url(TestModels.qwen05))
        let model = try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 1024))
        let batch = BatchGenerator(model: model, maxSequences: 8)

        var jobs: [(schema: String, messages: [ChatMessage], parameters: GenerationParameters)] = []
        for name in prompts.keys.sorted() {
            let schemaText = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let grammar = try Grammar(jsonSchema: schemaText)
            // The schema itself is not in the prompt (it would triple the prompt's length); the
            // prompt names the fields.
            let messages: [ChatMessage] = [.system("You answer with JSON only."), .user(prompts[name] ?? "")]
            for index in 0..<Self.perSchema {
                var parameters = GenerationParameters(maxTokens: 120, temperature: 1.0, topK: 0, topP: 1, seed: UInt64(index + 1))
                if !unconstrained { parameters.constraint = .grammar(grammar) }
                jobs.append((name, messages, parameters))
            }
        }
        // All calls at once: the generator queues them in order and starts each as a sequence
        // frees up, so a sequence often reuses the prompt it evaluated for the previous call.
        let replies = try await withThrowingTaskGroup(of: (Int, ChatReply).self) { tasks in
            for (index, job) in jobs.enumerated() {
                tasks.addTask { (index, try await batch.respond(to: job.messages, parameters: job.parameters)) }
            }
            return try await tasks.reduce(into: [Int: ChatReply]()) { $0[$1.0] = $1.1 }
        }
        var outputs: [(schema: String, text: String, reason: StopReason)] = []
        for (index, job) in jobs.enumerated() {
            let reply = try #require(replies[index])
            outputs.append((job.schema, reply.answer, reply.stats.stopReason))
        }
        #expect(outputs.count == jobs.count)
        if !unconstrained {
            for output in outputs {
                #expect(output.reason == .endOfSequence, "\(output.schema): \(output.text)")
            }
        }

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-json-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: file) }
        var lines = ""
        for output in outputs {
            let record = try JSONSerialization.data(withJSONObject: ["schema": output.schema, "text": output.text])
            lines += String(decoding: record, as: UTF8.self) + "\n"
        }
        try lines.write(to: file, atomically: true, encoding: .utf8)
        let script = TestModels.fixtures.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scripts/validate-json-outputs.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + (unconstrained ? ["--report"] : []) + [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        print((unconstrained ? "unconstrained: " : "constrained: ") + report)
        if let dump = ProcessInfo.processInfo.environment["MINNOW_JSON_OUTPUTS"] {
            try lines.write(toFile: dump, atomically: true, encoding: .utf8)
        }
        #expect(process.terminationStatus == 0, "\(report)")
    }
}
