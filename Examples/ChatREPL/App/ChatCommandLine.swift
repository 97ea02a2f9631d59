import ArgumentParser
import ChatREPLKit
import ExampleSupport
import Foundation
import Minnow

/// `minnow-chat`: a streaming chat REPL over a local model.
@main
struct ChatCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "minnow-chat",
        abstract: "Chat with a local model. Streams answers; Ctrl-C stops an answer, Ctrl-D or /quit exits.",
        discussion: "With standard input not a terminal, reads one prompt per line and prints each answer.\n\n"
            + ChatCommand.helpText)

    @OptionGroup var modelOptions: ModelOptions

    @Option(name: .long, help: "The system prompt.")
    var system: String?

    @Option(name: .long, help: "How to show reasoning: dim, show or hide (default: dim on a terminal, hide otherwise).")
    var reasoning: String?

    @Option(name: .long, help: "Most tokens per answer, reasoning included.")
    var maxTokens = 2048

    @Option(name: .long, help: "Sampling temperature (0: greedy).")
    var temperature: Float = 0.6

    @Option(name: .long, help: "Random seed, for reproducible answers.")
    var seed: UInt64?

    @Option(name: .long, help: "Thinking budget in tokens (default: none).")
    var thinkBudget: Int?

    @Option(name: .long, help: ArgumentHelp(
        "Speculative decoding: a draft GGUF model with the same vocabulary, or 'ngram' (prompt lookup).",
        valueName: "MODEL|ngram"))
    var draft: String?

    @Option(name: .long, help: ArgumentHelp(
        "Start from this prompt cache: restore it if the file exists, else evaluate the system prompt and save it there.",
        valueName: "FILE"))
    var promptCache: String?

    func validate() throws {
        if let reasoning, ReasoningDisplay(rawValue: reasoning) == nil {
            throw ValidationError("--reasoning must be dim, show or hide")
        }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let thinkBudget, thinkBudget < 0 { throw ValidationError("--think-budget must be 0 or more") }
    }

    func run() async throws {
        let interactive = isatty(STDIN_FILENO) == 1
        let colors = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let model: Model
        do {
            model = try await modelOptions.loadModel()
        } catch {
            printError("minnow-chat: \(error)")
            throw ExitCode(1)
        }
        var parameters = GenerationParameters(maxTokens: maxTokens, temperature: temperature, seed: seed)
        parameters.reasoning.thinkingBudget = thinkBudget
        if let draft {
            do {
                let source: SpeculativeDecoding.Draft = draft == "ngram"
                    ? .promptLookup()
                    : .model(try await Model.load(from: URL(fileURLWithPath: draft), options: modelOptions.loadOptions))
                parameters.speculation = SpeculativeDecoding(draft: source)
            } catch {
                printError("minnow-chat: cannot load the draft model: \(error)")
                throw ExitCode(1)
            }
        }
        let display = reasoning.flatMap(ReasoningDisplay.init(rawValue:)) ?? (interactive ? .dim : .hide)
        let repl = ChatREPL(
            model: model, instructions: system, parameters: parameters,
            options: .init(reasoning: display, style: TextStyle(enabled: colors), interactive: interactive),
            output: StandardOutput(), notices: interactive ? StandardOutput() : StandardError())
        if let promptCache {
            do {
                printError(try await repl.usePromptCache(URL(fileURLWithPath: (promptCache as NSString).expandingTildeInPath)))
            } catch {
                printError("minnow-chat: prompt cache: \(error)")
                throw ExitCode(1)
            }
        }
        let interrupts = InterruptHandler { repl.interrupt() }
        let status = await repl.run(LineSource.standardInput())
        interrupts.cancel()
        if status != 0 { throw ExitCode(status) }
    }
}

/// Standard error, for notices when standard output carries only answers.
struct StandardError: ChatOutput {
    func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}

