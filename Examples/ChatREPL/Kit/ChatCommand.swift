/// A line typed at the chat prompt: a message for the model, or a slash command.
public enum ChatInput: Sendable, Equatable {
    /// Text to send to the model.
    case message(String)
    /// A command.
    case command(ChatCommand)
    /// A blank line.
    case empty
    /// A slash command that could not be understood, with the reason.
    case invalid(String)

    /// Parses one input line. A line starting with `/` is a command; `//text` sends `/text`.
    public init(parsing line: String) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            self = .empty
            return
        }
        guard trimmed.hasPrefix("/") else {
            self = .message(trimmed)
            return
        }
        if trimmed.hasPrefix("//") {
            self = .message(String(trimmed.dropFirst()))
            return
        }
        let body = trimmed.dropFirst()
        let name = body.prefix { !$0.isWhitespace }.lowercased()
        let argument = body.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "help", "?": self = .command(.help)
        case "reset": self = .command(.reset)
        case "quit", "exit", "q": self = .command(.quit)
        case "stats": self = .command(.stats)
        case "system":
            self = argument.isEmpty ? .command(.showSystem) : .command(.system(argument))
        case "save":
            self = argument.isEmpty ? .invalid("/save needs a file name") : .command(.save(argument))
        case "load":
            self = argument.isEmpty ? .invalid("/load needs a file name") : .command(.load(argument))
        case "think":
            let words = argument.lowercased().split(separator: " ").map(String.init)
            switch words.first {
            case "on": self = .command(.think(.on))
            case "off": self = .command(.think(.off))
            case "budget":
                if words.count == 2, let count = Int(words[1]), count >= 0 {
                    self = .command(.think(.budget(count)))
                } else {
                    self = .invalid("usage: /think budget N (N ≥ 0 tokens)")
                }
            default: self = .invalid("usage: /think on|off|budget N")
            }
        case "json":
            switch argument.lowercased() {
            case "", "on": self = .command(.json(true))
            case "off": self = .command(.json(false))
            default: self = .invalid("usage: /json on|off")
            }
        default: self = .invalid("unknown command /\(name); /help lists the commands")
        }
    }
}

/// A slash command of the chat REPL.
public enum ChatCommand: Sendable, Equatable {
    /// `/help`: list the commands.
    case help
    /// `/reset`: forget the conversation, keep the instructions.
    case reset
    /// `/system TEXT`: replace the instructions.
    case system(String)
    /// `/system` alone: show the instructions.
    case showSystem
    /// `/think on|off|budget N`.
    case think(ThinkSetting)
    /// `/stats`: counts and speeds.
    case stats
    /// `/save FILE`: write the conversation as JSON, and its KV cache next to it.
    case save(String)
    /// `/load FILE`: continue a saved conversation.
    case load(String)
    /// `/json on|off`: answers are JSON objects (the sampler is constrained), or free text.
    case json(Bool)
    /// `/quit`.
    case quit

    /// The help text.
    public static let helpText = """
    Commands:
      /help                 this list
      /reset                forget the conversation (the system prompt stays)
      /system TEXT          set the system prompt (/system alone shows it)
      /think on|off         let the model reason, or skip its reasoning
      /think budget N       stop reasoning after N tokens and answer
      /json on|off          answer with a JSON object (constrained), or free text
      /stats                tokens and speeds of the last answer and the session
      /save FILE            save the conversation (JSON) and its KV cache (FILE.kvcache)
      /load FILE            continue a saved conversation (with its KV cache when there)
      /quit                 exit (Ctrl-D too)
    Ctrl-C stops the answer being written. Start a message with // to send a leading /.
    """
}

/// How much the model may reason.
public enum ThinkSetting: Sendable, Equatable {
    /// Reason freely.
    case on
    /// Skip reasoning (a budget of 0 tokens).
    case off
    /// Reason at most N tokens, then answer.
    case budget(Int)

    /// The thinking budget this setting gives.
    public var thinkingBudget: Int? {
        switch self {
        case .on: return nil
        case .off: return 0
        case .budget(let count): return count
        }
    }
}
