import ArgumentParser

/// The `minnow` command-line tool.
@main
struct MinnowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minnow",
        abstract: "Run DeepSeek-R1 distilled models (qwen2, llama) from GGUF files, locally.",
        subcommands: [InfoCommand.self, CompleteCommand.self, PerplexityCommand.self, LogitsCommand.self, ChatTemplateCommand.self, TokenizeCommand.self, FetchCommand.self, CompareBackendsCommand.self, BenchCommand.self, MemoryBandwidthCommand.self, ConstraintBenchCommand.self]
    )
}
