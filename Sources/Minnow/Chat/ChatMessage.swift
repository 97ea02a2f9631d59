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
        /// A tool's result, answering the model's ``ToolCall``.
        case tool
    }

    /// Who wrote the message.
    public var role: Role
    /// The text of the message; for the assistant, the answer without its reasoning.
    public var content: String
    /// The assistant's reasoning, kept for display. It is never fed back to the model.
    public var reasoning: String?
    /// The tools the assistant called in this message, in order.
    public var toolCalls: [ToolCall]

    /// A message.
    public init(role: Role, content: String, reasoning: String? = nil, toolCalls: [ToolCall] = []) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
        self.toolCalls = toolCalls
    }

    private enum CodingKeys: String, CodingKey {
        case role, content, reasoning, toolCalls
    }

    /// Decodes a message; transcripts saved before tool calls existed have none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(Role.self, forKey: .role)
        content = try container.decode(String.self, forKey: .content)
        reasoning = try container.decodeIfPresent(String.self, forKey: .reasoning)
        toolCalls = try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls) ?? []
    }

    /// A system message.
    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    /// A user message.
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    /// An assistant message.
    public static func assistant(_ content: String, reasoning: String? = nil, toolCalls: [ToolCall] = []) -> ChatMessage {
        ChatMessage(role: .assistant, content: content, reasoning: reasoning, toolCalls: toolCalls)
    }
    /// A tool's result (the template shows it to the model after the call it answers).
    public static func tool(_ content: String) -> ChatMessage { ChatMessage(role: .tool, content: content) }
}
