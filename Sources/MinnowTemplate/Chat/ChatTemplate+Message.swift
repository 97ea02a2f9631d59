extension ChatTemplate {
    /// One message of a conversation as the template sees it: who speaks and what.
    ///
    /// (The public `Minnow` module has its own richer `ChatMessage`; this plain pair is what
    /// a template renders.)
    public struct Message: Sendable, Hashable, Codable {
        /// The speaker: `system`, `user`, `assistant` or `tool`.
        public var role: String
        /// The message text.
        public var content: String

        /// Creates a message.
        public init(role: String, content: String) {
            self.role = role
            self.content = content
        }

        /// A system message.
        public static func system(_ content: String) -> Message { Message(role: "system", content: content) }
        /// A user message.
        public static func user(_ content: String) -> Message { Message(role: "user", content: content) }
        /// An assistant message.
        public static func assistant(_ content: String) -> Message { Message(role: "assistant", content: content) }

        /// The message as the `{"role", "content"}` object templates see.
        public var templateValue: TemplateValue {
            ["role": .string(role), "content": .string(content)]
        }
    }
}
