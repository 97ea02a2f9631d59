/// Errors of a ``ChatSession``.
public enum ChatSessionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model has no chat template and its architecture has no known default.
    case noChatTemplate
    /// The chat template failed to render the conversation.
    case templateFailed(String)
    /// The prompt could not be tokenized.
    case tokenizationFailed(String)
    /// The model failed while evaluating tokens.
    case evaluationFailed(String)

    /// A readable description.
    public var description: String {
        switch self {
        case .noChatTemplate: return "the model has no chat template"
        case .templateFailed(let why): return "the chat template failed: \(why)"
        case .tokenizationFailed(let why): return "the prompt could not be tokenized: \(why)"
        case .evaluationFailed(let why): return "evaluation failed: \(why)"
        }
    }
}
