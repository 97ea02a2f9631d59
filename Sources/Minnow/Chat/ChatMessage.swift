/// One message of a conversation.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who wrote a message.
    public enum Role: String, Sendable, Hashable, Codable {
        /// Instructions for the model.
        case system
        /// The person talking to the model.
        case user
        /// The model.
        case assistant
    }

    /// Who wrote the message.
    public var role: Role
    /// The text of the message; for the assistant, the answer without its reasoning.
    public var content: String
    /// The assistant's reasoning, kept for display. It is never fed back to the model.
    public var reasoning: String?

    /// A message.
    public init(role: Role, content: String, reasoning: String? = nil) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String, reasoning: String? = nil) -> ChatMessage {
        ChatMessage(role: .assistant, content: content, reasoning: reasoning)
    }
}
