import ArgumentParser
import BatchSummarizerKit
import ExampleSupport
import Foundation
import Minnow
import MinnowCatalog

/// `minnow-summarize`: summarizes many documents into JSONL, resumably.
@main
struct SummarizeCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minnow-summarize",
        abstract: "Summarize documents with a local model, into JSONL.",
        discussion: """
        Inputs: .txt and .md files (one document each, the path as id), folders of them \
        (recursively; .jsonl files in them too), and JSONL files with one {"id", "text"} object per \
        line. Output: one {"id", "summary", "promptTokens", "generatedTokens", "ms"} line per \
        document. Ids already in the output file are skipped, so a stopped run can be started \
        again. A malformed line or unreadable file is reported and skipped; the exit status is then 2.
        """)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, parsing: .upToNextOption, help: "Files or folders to summarize.")
    var input: [String]

    @Option(name: .long, help: "The output JSONL file (appended to); standard output when absent.")
    var output: String?

    @Flag(name: .long, help: "Keep the model's reasoning in a \"reasoning\" field.")
    var keepReasoning = false

    @Option(name: .long, help: "Documents summarized at once; their tokens share each forward pass (one batch).")
    var parallel = 1

    @Option(name: .long, help: ArgumentHelp(
        "Take only shard I of N (I from 0): the documents at positions p with p mod N = I.",
        discussion: "auto: the shard a Kubernetes indexed Job (JOB_COMPLETION_INDEX, JOB_COMPLETIONS) "
            + "or a Slurm job array (SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT) assigned."))
    var shard: String?

    @Option(name: .long, help: "Most tokens per call, reasoning included.")
    var maxTokens = 512

    @Option(name: .long, help: "Reasoning budget in tokens per call (R1 models).")
    var thinkBudget = 256

    @Option(name: .long, help: "Sampling temperature (0: greedy).")
    var temperature: Float = 0

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 0

    func validate() throws {
        if input.isEmpty { throw ValidationError("give at least one --input") }
        if parallel < 1 { throw ValidationError("--parallel must be at least 1") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        _ = try selectedShard()
    }

    /// The shard `--shard` names: I/N, `auto` (from the scheduler's environment), or all documents.
    func selectedShard() throws -> Shard {
        guard let shard else { return .all }
        if shard == "auto" {
            do {
                return try Shard(environment: ProcessInfo.processInfo.environment)
            } catch {
                throw ValidationError("--shard auto: \(error)")
            }
        }
        guard let parsed = Shard(parsing: shard) else {
            throw ValidationError("--shard must be I/N with 0 ≤ I < N, such as 0/4, or auto")
        }
        return parsed
    }

    func run() async throws {
        let (documents, problems) = InputCollector().collect(input)
        for problem in problems { printError("minnow-summarize: skipped \(problem)") }

        let journal: OutputJournal
        do {
            journal = try output.map { try OutputJournal(path: $0) } ?? OutputJournal(standardOutput: ())
        } catch {
            printError("minnow-summarize: \(error)")
            throw ExitCode(1)
        }
        let model: Model
        do {
            model = try await modelOptions.loadModel()
        } catch {
            printError("minnow-summarize: \(error)")
            throw ExitCode(1)
        }
        var parameters = GenerationParameters(
            maxTokens: maxTokens, temperature: temperature, repetitionPenalty: 1.1, seed: seed)
        parameters.reasoning = ReasoningOptions(isVisible: keepReasoning, thinkingBudget: thinkBudget)
        let options = SummaryOptions(parameters: parameters, keepsReasoning: keepReasoning)
        let shard = try selectedShard()
        if self.shard == "auto" { printError("minnow-summarize: shard \(shard.index)/\(shard.count) (from the environment)") }
        let runner = BatchRunner(parallel: parallel, shard: shard, log: { printError("minnow-summarize: \($0)") })
        let progress = ProgressBar(label: "summarizing", unit: .items("docs"))
        // One generator for all workers: their calls are evaluated together, in one batch.
        let generator = BatchGenerator(model: model, maxSequences: parallel)
        let report = await runner.run(documents, journal: journal, progress: progress) {
            DocumentSummarizer(generator: generator, options: options)
        }
        printError("minnow-summarize: \(report.written) written, \(report.alreadyDone) already in the output, "
            + "\(report.failures.count) failed, \(problems.count) input problems"
            + (report.otherShards > 0 ? ", \(report.otherShards) in other shards" : "")
            + (report.written > 0 ? "; \(UnitFormat.oneDecimal(report.documentsPerMinute)) docs/min "
                + "with --parallel \(parallel)" : ""))
        if !problems.isEmpty || !report.failures.isEmpty { throw ExitCode(2) }
    }
}
