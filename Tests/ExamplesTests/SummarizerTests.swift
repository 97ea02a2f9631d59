import BatchSummarizerKit
import Foundation
import Minnow
import Testing

func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-examples-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct InputTests {
    @Test func readsFilesFoldersAndJSONLReportingBadLines() throws {
        let folder = try temporaryFolder()
        try "Alpha text.".write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        try "# Beta".write(to: folder.appendingPathComponent("b.md"), atomically: true, encoding: .utf8)
        try Data([0, 1, 2]).write(to: folder.appendingPathComponent("ignored.bin"))
        try Data([0xFF, 0xFE, 0x80]).write(to: folder.appendingPathComponent("broken.txt"))
        let jsonl = """
        {"id": "one", "text": "First."}
        {"id": 2, "text": "Second."}
        {"id": "three", "text": 
        not json at all

        {"text": "no id"}
        {"id": "six"}
        [1, 2]
        {"id": "one", "text": "duplicate"}
        {"id": "nine", "text": "Ninth, with \\"quotes\\" and ünïcode."}
        """
        let jsonlFile = folder.appendingPathComponent("docs.jsonl")
        try jsonl.write(to: jsonlFile, atomically: true, encoding: .utf8)
        let (documents, problems) = InputCollector().collect([folder.path, "/no/such/path"])
        #expect(documents.map(\.id) == [folder.appendingPathComponent("a.txt").path,
                                        folder.appendingPathComponent("b.md").path,
                                        "one", "2", "nine"])
        #expect(documents.last?.text == "Ninth, with \"quotes\" and ünïcode.")
        let lines = problems.compactMap(\.line)
        #expect(lines == [3, 4, 6, 7, 8, 9])
        #expect(problems.contains { $0.path.hasSuffix("broken.txt") && $0.line == nil })
        #expect(problems.contains { $0.path == "/no/such/path" })
        #expect(problems.first { $0.line == 3 }?.description == "\(jsonlFile.path):3: not valid JSON")
    }

    @Test func shards() {
        #expect(Shard(parsing: "1/3") == Shard(index: 1, count: 3))
        #expect(Shard(parsing: "3/3") == nil)
        #expect(Shard(parsing: "-1/3") == nil)
        #expect(Shard(parsing: "1") == nil)
        let items = Array(0..<10)
        #expect(Shard(index: 1, count: 3)?.select(items) == [1, 4, 7])
        var union: [Int] = []
        for i in 0..<3 { union += Shard(index: i, count: 3)?.select(items) ?? [] }
        #expect(union.sorted() == items)
    }

    /// `--shard auto`: Kubernetes indexed Jobs and Slurm arrays (including arrays that start at 1
    /// or step), and a clear error for every missing or inconsistent variable.
    @Test func shardFromEnvironment() throws {
        #expect(try Shard(environment: ["JOB_COMPLETION_INDEX": "2", "JOB_COMPLETIONS": "3"]) == Shard(index: 2, count: 3))
        #expect(try Shard(environment: ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "4"]) == Shard(index: 1, count: 4))
        #expect(try Shard(environment: ["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4",
                                        "SLURM_ARRAY_TASK_MIN": "1"]) == Shard(index: 3, count: 4))
        #expect(try Shard(environment: ["SLURM_ARRAY_TASK_ID": "8", "SLURM_ARRAY_TASK_COUNT": "3",
                                        "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_STEP": "4"]) == Shard(index: 2, count: 3))
        // Kubernetes wins when both are set.
        #expect(try Shard(environment: ["JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "2",
                                        "SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2"]) == Shard(index: 0, count: 2))
        #expect(throws: ShardEnvironmentError.noScheduler) { try Shard(environment: [:]) }
        #expect(throws: ShardEnvironmentError.missingCount(index: "JOB_COMPLETION_INDEX", count: "JOB_COMPLETIONS")) {
            try Shard(environment: ["JOB_COMPLETION_INDEX": "0"])
        }
        let bad: [[String: String]] = [
            ["JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "3"],
            ["JOB_COMPLETION_INDEX": "x", "JOB_COMPLETIONS": "3"],
            ["JOB_COMPLETION_INDEX": "0", "JOB_COMPLETIONS": "0"],
            ["SLURM_ARRAY_TASK_ID": "0", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1"],
            ["SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_STEP": "4"],
            ["SLURM_ARRAY_TASK_ID": "1", "SLURM_ARRAY_TASK_COUNT": "2", "SLURM_ARRAY_TASK_STEP": "0"],
        ]
        for environment in bad {
            #expect(throws: ShardEnvironmentError.self) { try Shard(environment: environment) }
        }
        let error = try #require(throws: ShardEnvironmentError.self) {
            try Shard(environment: ["JOB_COMPLETION_INDEX": "3", "JOB_COMPLETIONS": "3"])
        }
        #expect(error.description.contains("JOB_COMPLETION_INDEX"))
    }

    @Test func chunksFitAndJoinBack() {
        let text = (0..<200).map { "Sentence number \($0) is here." + ($0 % 7 == 0 ? "\n\n" : " ") }.joined()
        for limit in [1, 40, 100, 1000, 100_000] {
            let pieces = TextChunker.split(text, limit: limit)
            #expect(pieces.joined() == text)
            #expect(pieces.allSatisfy { $0.count <= limit })
        }
    }

    @Test func theJournalResumesAndWritesWholeLines() async throws {
        let file = try temporaryFolder().appendingPathComponent("out.jsonl")
        // A run killed mid-line (only possible if the machine stops) leaves a torn last line.
        try "{\"id\":\"a\",\"summary\":\"x\",\"promptTokens\":1,\"generatedTokens\":1,\"ms\":1}\n{\"id\":\"b\",\"sum"
            .write(to: file, atomically: true, encoding: .utf8)
        let journal = try OutputJournal(path: file.path)
        #expect(journal.existingIDs == ["a"])
        try await journal.append(SummaryRecord(id: "c", summary: "y", promptTokens: 2, generatedTokens: 3, ms: 4))
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.last == #"{"generatedTokens":3,"id":"c","ms":4,"promptTokens":2,"summary":"y"}"#)
        #expect(OutputJournal.recordedIDs(path: file.path) == ["a", "c"])
    }

    @Test func aSecondJournalOnTheSameFileIsRefusedUntilTheFirstGoes() async throws {
        let file = try temporaryFolder().appendingPathComponent("out.jsonl")
        var first: OutputJournal? = try OutputJournal(path: file.path)
        try await first?.append(SummaryRecord(id: "a", summary: "x", promptTokens: 1, generatedTokens: 1, ms: 1))
        #expect(throws: SummarizerError.outputInUse(path: file.path)) { try OutputJournal(path: file.path) }
        first = nil
        // The lock went with the first journal; the file is whole and can be resumed.
        #expect(try OutputJournal(path: file.path).existingIDs == ["a"])
    }
}

@Suite(.timeLimit(.minutes(1))) struct SummarizerTests {
    /// Summaries name the message's length, so that map and reduce calls can be told apart.
    static func responder(_ user: String) -> String {
        if user.hasPrefix("These are summaries") { return "<think>merging</think>Combined." }
        return "<think>reading</think>Summary of \(user.count) chars."
    }

    func options(keepsReasoning: Bool = false) -> SummaryOptions {
        SummaryOptions(parameters: GenerationParameters(maxTokens: 64, temperature: 0),
                       keepsReasoning: keepsReasoning, instructions: "Summarize.", charactersPerToken: 1)
    }

    @Test func twentyDocumentsOneMalformedThenARerunDoesNothing() async throws {
        let folder = try temporaryFolder()
        var lines = (1...20).map { #"{"id": "doc\#($0)", "text": "Document number \#($0)."}"# }
        lines[6] = #"{"id": "doc7", "text": oops}"#
        let input = folder.appendingPathComponent("in.jsonl")
        try lines.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("out.jsonl")
        let model = scriptedModel(responder: Self.responder)

        let (documents, problems) = InputCollector().collect([input.path])
        #expect(documents.count == 19)
        #expect(problems.map(\.line) == [7])
        let runner = BatchRunner(parallel: 3, log: { _ in })
        // As `--parallel 3` does: the three workers share one generator of three sequences.
        let generator = BatchGenerator(model: model, maxSequences: 3)
        let first = await runner.run(documents, journal: try OutputJournal(path: output.path), progress: nil) {
            DocumentSummarizer(generator: generator, options: options())
        }
        #expect(first.written == 19)
        #expect(first.failures.isEmpty)
        let records = try String(contentsOf: output, encoding: .utf8).split(separator: "\n").map {
            try JSONDecoder().decode(SummaryRecord.self, from: Data($0.utf8))
        }
        #expect(Set(records.map(\.id)) == Set(documents.map(\.id)))
        #expect(records.allSatisfy { $0.summary.hasPrefix("Summary of ") && $0.reasoning == nil })
        #expect(records.allSatisfy { $0.promptTokens > 0 && $0.generatedTokens > 0 })

        let second = await runner.run(documents, journal: try OutputJournal(path: output.path), progress: nil) {
            DocumentSummarizer(model: model, options: options())
        }
        #expect(second.written == 0)
        #expect(second.alreadyDone == 19)
        #expect(try String(contentsOf: output, encoding: .utf8).split(separator: "\n").count == 19)
    }

    @Test func aLongDocumentIsSummarizedMapReduce() async throws {
        // Context 512, 64 answer tokens: chunks of at most 512 - 64 - 128 = 320 characters.
        let model = scriptedModel(capacity: 512, responder: Self.responder)
        let summarizer = DocumentSummarizer(model: model, options: options(keepsReasoning: true))
        #expect(await summarizer.chunkCharacters == 320)
        let text = (0..<60).map { "Line \($0) of a long document." }.joined(separator: " ")
        let record = try await summarizer.summarize(InputDocument(id: "long", text: text))
        #expect(record.summary == "Combined.")
        // Reasoning of every call is kept: map calls, then the reduce call.
        #expect(record.reasoning?.contains("reading") == true)
        #expect(record.reasoning?.hasSuffix("merging") == true)
        let short = try await summarizer.summarize(InputDocument(id: "short", text: "Tiny."))
        #expect(short.summary == "Summary of \("Summarize this document:\n\nTiny.".count) chars.")
        #expect(short.promptTokens < record.promptTokens)
    }

    @Test func shardsSplitTheWork() async throws {
        let model = scriptedModel(responder: Self.responder)
        let documents = (0..<7).map { InputDocument(id: "d\($0)", text: "Text \($0).") }
        let folder = try temporaryFolder()
        var ids: [String] = []
        for index in 0..<2 {
            let output = folder.appendingPathComponent("out\(index).jsonl")
            let runner = BatchRunner(parallel: 2, shard: Shard(index: index, count: 2) ?? .all, log: { _ in })
            let report = await runner.run(documents, journal: try OutputJournal(path: output.path), progress: nil) {
                DocumentSummarizer(model: model, options: options())
            }
            #expect(report.written + report.otherShards == 7)
            ids += OutputJournal.recordedIDs(path: output.path)
        }
        #expect(ids.sorted() == documents.map(\.id).sorted())
    }
}
