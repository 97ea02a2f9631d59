/// Whether the model may, must or must not call its tools (OpenAI's `tool_choice`).
///
/// Set it on ``GenerationParameters/toolChoice``; it applies to a ``ChatSession`` with tools
/// and to a ``BatchGenerator`` call given tools.
///
/// Under ``required`` and ``function(_:)`` the answer is constrained, from its first token (after
/// any reasoning: an R1 model whose prompt opens `<think>` thinks freely first), to the opening
/// of a block of calls in the model's ``Model/toolCallFormat`` (`<tool_call>`, or
/// `<｜tool▁calls▁begin｜>`) followed by a call that the tools' grammar accepts, so the model
/// cannot answer in prose or write the call without its markers. On Qwen2.5 `<tool_call>` is an
/// added token of its own (id 151657) that prints as its text: the token trie keeps it, so the
/// grammar lets the model pick that one token (the spelling it was trained on) as well as the
/// same text in several ordinary tokens. The forced call is streamed as a
/// ``GenerationEvent/toolCall(name:arguments:)`` as under ``auto``; after the block's closing
/// generation goes on unconstrained, and the model normally ends its turn.
public enum ToolChoice: Sendable, Hashable {
    /// The model decides: it sees the tools, and a call it starts (with `<tool_call>`, or
    /// `<｜tool▁calls▁begin｜>` in the DeepSeek-R1 format) is held to their schemas. The default.
    case auto
    /// The model neither sees the tools nor has its answer scanned for calls: a plain answer.
    /// Earlier calls and results in the conversation are still shown.
    case none
    /// The answer must begin with a call to one of the tools.
    case required
    /// The answer must begin with a call to the tool of this name.
    case function(String)
}

/// Why a ``ToolChoice`` cannot be applied.
public enum ToolChoiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// ``ToolChoice/required`` or ``ToolChoice/function(_:)`` was asked with no tools given.
    case noTools
    /// ``ToolChoice/function(_:)`` named a tool that is not among the given ones.
    case unknownTool(String)
    /// ``ToolChoice/required`` or ``ToolChoice/function(_:)`` was asked together with
    /// ``GenerationParameters/constraint``, which governs the whole answer.
    case conflictsWithConstraint

    /// A readable description.
    public var description: String {
        switch self {
        case .noTools: return "a tool call was required, but no tools were given"
        case .unknownTool(let name): return "the tool choice names '\(name)', which is not one of the given tools"
        case .conflictsWithConstraint: return "a required tool call cannot be combined with a generation constraint"
        }
    }
}
