import Foundation
import Minnow
import Synchronization

/// The chat loop of `minnow-chat`: reads lines, runs commands, streams answers.
///
/// It uses only the public `Minnow` API: a ``ChatSession`` per conversation, its stream of
/// events, and its transcript. ``interrupt()`` (wired to Ctrl-C) stops the answer being written
/// and leaves the session ready for the next question.
public actor ChatREPL {
    /// How the REPL presents itself.
    public struct Options: Sendable {
        /// How reasoning is shown.
        public var reasoning: ReasoningDisplay
        /// ANSI styling (dim reasoning, bold prompt).
        public var style: TextStyle
        /// Whether a person is typing: prompts and hints are written only then.
        public var interactive: Bool

        /// Options.
        public init(reasoning: ReasoningDisplay, style: TextStyle, interactive: Bool) {
            self.reasoning = reasoning
            self.style = style
            self.interactive = interactive
        }
    }

    private let model: Model
    private var session: ChatSession
    private var parameters: GenerationParameters
    private let options: Options
    private let output: any ChatOutput
    private let notices: any ChatOutput
    private let contextOverflow: ContextOverflowPolicy
    /// Cancels the answer being written, if any.
    private let current = Mutex<(@Sendable () -> Void)?>(nil)
    private var lastStats: GenerationStats?
    private var turns = 0
    private var totalGenerated = 0
    private var totalPrompt = 0

    /// A REPL on `model`.
    /// - Parameters:
    ///   - output: Answers and command output (standard output).
    ///   - notices: Hints and errors (standard error when scripted).
    public init(
        model: Model, instructions: String?, parameters: GenerationParameters, options: Options,
        output: any ChatOutput = StandardOutput(), notices: (any ChatOutput)? = nil,
        contextOverflow: ContextOverflowPolicy = .dropOldestTurns
    ) {
        self.model = model
        self.parameters = parameters
        self.options = options
        self.output = output
        self.notices = notices ?? output
        self.contextOverflow = contextOverflow
        self.session = ChatSession(model: model, instructions: instructions, parameters: parameters,
                                   contextOverflow: contextOverflow)
    }

    /// The conversation so far.
    public var transcript: [ChatMessage] {
        get async { await session.transcript }
    }

    /// The statistics of the last answer.
    public var lastAnswerStats: GenerationStats? { lastStats }

    /// The parameters used for the next answers.
    public var currentParameters: GenerationParameters { parameters }

    /// Reads `lines` until `/quit` or their end; returns the exit status (0).
    public func run<Lines: AsyncSequence>(_ lines: Lines) async -> Int32 where Lines.Element == String {
        if options.interactive {
            notices.write("\(options.style.bold)\(model.info.name)\(options.style.reset) (\(model.info.architecture), "
                + "context \(model.info.contextLength) tokens). /help for commands, Ctrl-D to quit.\n")
        }
        prompt()
        do {
            for try await line in lines {
                if await !handle(line) { return 0 }
                prompt()
            }
        } catch {
            notices.write("input error: \(error)\n")
        }
        if options.interactive { notices.write("\n") }
        return 0
    }

    /// Handles one input line; returns false on `/quit`.
    public func handle(_ line: String) async -> Bool {
        switch ChatInput(parsing: line) {
        case .empty: return true
        case .invalid(let why):
            notices.write(why + "\n")
            return true
        case .message(let text):
            await answer(text)
            return true
        case .command(let command):
            return await run(command)
        }
    }

    /// Stops the answer being written (Ctrl-C). When none is, prints a hint.
    public nonisolated func interrupt() {
        let cancel = current.withLock { $0 }
        if let cancel {
            cancel()
        } else if options.interactive {
            notices.write("\n(Ctrl-C stops an answer; /quit or Ctrl-D exits)\n")
            notices.write(options.style.bold + "> " + options.style.reset)
        }
    }

    // MARK: - Answers

    private func prompt() {
        if options.interactive { output.write(options.style.bold + "> " + options.style.reset) }
    }

    private func answer(_ text: String) async {
        let stream = session.stream(text)
        let printer = AnswerPrinter(display: options.reasoning, style: options.style, output: output)
        let task = Task { () -> Result<GenerationStats?, Error> in
            do {
                for try await event in stream {
                    switch event {
                    case .reasoning(let piece): printer.reasoning(piece)
                    case .text(let piece): printer.text(piece)
                    case .toolCall(let name, let arguments): printer.text("\n[tool call] \(name)(\(arguments))\n")
                    case .done(let stats): return .success(stats)
                    }
                }
                return .success(nil)
            } catch {
                return .failure(error)
            }
        }
        current.withLock { $0 = { task.cancel() } }
        let outcome = await task.value
        current.withLock { $0 = nil }
        printer.finish()
        switch outcome {
        case .success(let stats?):
            record(stats)
            if stats.stopReason == .cancelled { notices.write("[stopped]\n") }
            if stats.stopReason == .contextFull { notices.write("[the context is full: /reset to start over]\n") }
        case .success(nil):
            notices.write("[stopped]\n")
        case .failure(let error):
            notices.write("error: \(error)\n")
        }
    }

    private func record(_ stats: GenerationStats) {
        lastStats = stats
        turns += 1
        totalGenerated += stats.generatedTokens
        totalPrompt += stats.promptTokens - stats.cachedTokens
    }

    // MARK: - Commands

    private func run(_ command: ChatCommand) async -> Bool {
        switch command {
        case .quit: return false
        case .help: output.write(ChatCommand.helpText + "\n")
        case .reset:
            await session.reset()
            output.write("(conversation cleared)\n")
        case .system(let text):
            await session.setInstructions(text)
            output.write("(system prompt set)\n")
        case .showSystem:
            output.write((await session.instructions ?? "(no system prompt)") + "\n")
        case .think(let setting):
            parameters.reasoning.thinkingBudget = setting.thinkingBudget
            await session.setParameters(parameters)
            switch setting {
            case .on: output.write("(reasoning on, no budget)\n")
            case .off: output.write("(reasoning off: the model answers at once)\n")
            case .budget(let count): output.write("(reasoning budget: \(count) tokens)\n")
            }
        case .json(let isOn):
            parameters.constraint = isOn ? .json : nil
            await session.setParameters(parameters)
            output.write(isOn ? "(answers are JSON objects)\n" : "(answers are free text)\n")
        case .stats: output.write(statsText() + "\n")
        case .save(let path):
            let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
            let file = TranscriptFile(model: model.info.name, messages: await session.transcript)
            do {
                try file.write(to: url)
                output.write("(saved \(file.messages.count) messages to \(path))\n")
            } catch {
                notices.write("cannot save \(path): \(error.localizedDescription)\n")
                return true
            }
            // The KV cache next to the transcript, so that /load (or another run) need not
            // evaluate the conversation again.
            do {
                try await session.savePromptCache(to: Self.cacheURL(for: url))
                output.write("(saved the KV cache to \(Self.cacheURL(for: url).path))\n")
            } catch {
                notices.write("cannot save the KV cache: \(error)\n")
            }
        case .load(let path):
            let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
            do {
                let file = try TranscriptFile.read(from: url)
                session.stopGenerating()
                let cache = Self.cacheURL(for: url)
                if FileManager.default.fileExists(atPath: cache.path) {
                    do {
                        let restored = try await ChatSession.restoring(
                            from: cache, model: model, parameters: parameters, contextOverflow: contextOverflow)
                        if await restored.transcript == file.messages {
                            session = restored
                            output.write("(loaded \(file.messages.count) messages and their KV cache from \(path))\n")
                            return true
                        }
                        notices.write("(the KV cache does not match the transcript: not used)\n")
                    } catch {
                        notices.write("(KV cache not used: \(error))\n")
                    }
                }
                session = ChatSession(model: model, transcript: file.messages, parameters: parameters,
                                      contextOverflow: contextOverflow)
                output.write("(loaded \(file.messages.count) messages from \(path))\n")
            } catch {
                notices.write("cannot load \(path): \(error)\n")
            }
        }
        return true
    }

    /// Where `/save FILE` puts the KV cache: `FILE.kvcache`.
    public static func cacheURL(for transcript: URL) -> URL {
        transcript.appendingPathExtension("kvcache")
    }

    /// Starts from a prompt cache file: restores it when it exists (its system prompt and
    /// conversation replace this REPL's), otherwise evaluates the system prompt and saves it
    /// there. Returns a line saying which, with the time it took.
    public func usePromptCache(_ url: URL) async throws -> String {
        let clock = ContinuousClock()
        let start = clock.now
        if FileManager.default.fileExists(atPath: url.path) {
            session = try await ChatSession.restoring(from: url, model: model, parameters: parameters,
                                                      contextOverflow: contextOverflow)
            let count = await session.transcript.count
            return "(restored the prompt cache \(url.path), \(count) messages, in \(Self.milliseconds(clock.now - start)) ms)"
        }
        try await session.prepare()
        let evaluated = clock.now - start
        try await session.savePromptCache(to: url)
        return "(evaluated the system prompt in \(Self.milliseconds(evaluated)) ms and saved it to \(url.path))"
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    /// The text of `/stats`.
    public func statsText() -> String {
        var lines: [String] = []
        if let stats = lastStats {
            lines.append("last answer: \(stats.promptTokens) prompt tokens (\(stats.cachedTokens) cached), "
                + "\(stats.generatedTokens) generated (\(stats.reasoningTokens) reasoning)")
            lines.append("  prompt \(UnitFormatting.rate(stats.promptTokensPerSecond)) tok/s, "
                + "decode \(UnitFormatting.rate(stats.decodeTokensPerSecond)) tok/s, "
                + "stopped: \(UnitFormatting.reason(stats.stopReason))")
            lines.append("  time to first token \(Self.milliseconds(stats.promptDuration)) ms (prompt evaluation)")
            if stats.draftedTokens > 0 {
                lines.append("  speculative decoding: accepted \(stats.acceptedDraftTokens) of \(stats.draftedTokens) "
                    + "drafted tokens")
            }
        } else {
            lines.append("no answer yet")
        }
        lines.append("session: \(turns) answers, \(totalPrompt) prompt tokens evaluated, \(totalGenerated) generated; "
            + "model \(model.info.name), context \(model.info.contextLength) tokens")
        let budget = parameters.reasoning.thinkingBudget.map { "\($0) tokens" } ?? "none"
        lines.append("temperature \(parameters.temperature), max tokens \(parameters.maxTokens), thinking budget \(budget)")
        return lines.joined(separator: "\n")
    }
}

/// Small formatting helpers for `/stats`.
enum UnitFormatting {
    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "--" }
        return String(Int((value * 10).rounded()) / 10) + "." + String(abs(Int((value * 10).rounded()) % 10))
    }

    static func reason(_ reason: StopReason) -> String {
        switch reason {
        case .endOfSequence: return "end of sequence"
        case .stopString(let text): return "stop string \"\(text)\""
        case .maxTokens: return "max tokens"
        case .cancelled: return "cancelled"
        case .contextFull: return "context full"
        }
    }
}
