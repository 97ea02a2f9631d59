/// The model's complete reply to one message.
public struct ChatReply: Sendable, Equatable {
    /// The answer, without reasoning.
    public var answer: String
    /// The reasoning (R1's `<think>` text), empty when the model did not reason or the reasoning
    /// was hidden.
    public var reasoning: String
    /// Counts, speeds and the stop reason.
    public var stats: GenerationStats

    /// A reply.
    public init(answer: String, reasoning: String, stats: GenerationStats) {
        self.answer = answer
        self.reasoning = reasoning
        self.stats = stats
    }
}
