/// The model's complete reply to one message.
public struct ChatReply: Sendable, Equatable {
    /// The answer, without reasoning.
    public var answer: String
    /// The reasoning (R1's `<think>` text), empty when the model did not reason or the reasoning
    /// was hidden.
    public var reasoning: String
    /// Counts, speeds and the stop reason.
    public var stats: GenerationStats
    /// The tool calls the model made, in order; answer them with ``ChatMessage/tool(_:)``
    /// messages.
    public var toolCalls: [ToolCall]

    /// A reply.
    public init(answer: String, reasoning: String, stats: GenerationStats, toolCalls: [ToolCall] = []) {
        self.answer = answer
        self.reasoning = reasoning
        self.stats = stats
        self.toolCalls = toolCalls
    }
}

extension ChatReply {
    /// The reply that a generation's events add up to.
    /// - Throws: `CancellationError` when the calling task is cancelled (or the stream ends
    ///   without `.done`), and whatever the stream throws.
    static func collect(_ stream: AsyncThrowingStream<GenerationEvent, Error>) async throws -> ChatReply {
        var answer = ""
        var reasoning = ""
        var toolCalls: [ToolCall] = []
        for try await event in stream {
            switch event {
            case .text(let piece): answer += piece
            case .reasoning(let piece): reasoning += piece
            case .toolCall(let name, let arguments): toolCalls.append(ToolCall(name: name, arguments: arguments))
            case .done(let stats):
                if stats.stopReason == .cancelled && Task.isCancelled { throw CancellationError() }
                return ChatReply(answer: answer, reasoning: reasoning, stats: stats, toolCalls: toolCalls)
            }
        }
        throw CancellationError()
    }
}
