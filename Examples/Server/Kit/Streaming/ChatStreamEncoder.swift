import Minnow
import Synchronization
import ServerAPI

/// Maps the events of one chat generation to OpenAI stream chunks: a first chunk with the
/// role, then one chunk per piece (`reasoning_content` for R1's thought, `content` for the
/// answer, `tool_calls` for each whole call, numbered by `index`), a last chunk with
/// `finish_reason`, and with `include_usage` a usage chunk.
public struct ChatStreamEncoder: Sendable {
    /// The request's id.
    public var id: String
    /// Unix seconds.
    public var created: Int
    /// The served model's id.
    public var model: String
    /// Whether chunks carry `usage` (null but in the last).
    public var includesUsage: Bool
    /// How many tool calls the stream has sent (the next call's index). Shared by copies: one
    /// encoder serves one stream.
    private let callCount = CallCounter()

    /// An encoder for one stream.
    public init(id: String, created: Int, model: String, includesUsage: Bool) {
        self.id = id
        self.created = created
        self.model = model
        self.includesUsage = includesUsage
    }

    /// The first chunk: the role, empty content.
    public func opening() -> ChatCompletionChunk {
        chunk(ChatCompletionChunk.Delta(role: "assistant", content: ""))
    }

    /// The chunks for one generation event.
    public func chunks(for event: GenerationEvent) -> [ChatCompletionChunk] {
        switch event {
        case .reasoning(let text):
            return [chunk(ChatCompletionChunk.Delta(reasoningContent: text))]
        case .text(let text):
            return [chunk(ChatCompletionChunk.Delta(content: text))]
        case .toolCall(let name, let arguments):
            let call = ResponseToolCall(ToolCall(name: name, arguments: arguments), index: callCount.next())
            return [chunk(ChatCompletionChunk.Delta(toolCalls: [call]))]
        case .done(let stats):
            let reason = finishReason(stats.stopReason, toolCalls: callCount.value) ?? "stop"
            var last = chunk(ChatCompletionChunk.Delta(), finishReason: reason)
            last.usage = nil
            guard includesUsage else { return [last] }
            let usage = ChatCompletionChunk(id: id, created: created, model: model, choices: [], usage: Usage(stats),
                                            writesUsage: true)
            return [last, usage]
        }
    }

    private func chunk(_ delta: ChatCompletionChunk.Delta, finishReason: String? = nil) -> ChatCompletionChunk {
        ChatCompletionChunk(id: id, created: created, model: model,
                            choices: [.init(delta: delta, finishReason: finishReason)], usage: nil, writesUsage: includesUsage)
    }
}

/// A count that a `Sendable` encoder can advance.
private final class CallCounter: Sendable {
    private let count = Mutex(0)

    /// The count so far.
    var value: Int { count.withLock { $0 } }

    /// Returns the count and adds one.
    func next() -> Int {
        count.withLock { value in
            defer { value += 1 }
            return value
        }
    }
}

/// Maps the events of one raw completion to `text_completion` stream chunks. Reasoning (when the
/// prompt opened R1's `<think>`) goes in `reasoning_content`, the rest in `text`.
public struct TextStreamEncoder: Sendable {
    /// The request's id.
    public var id: String
    /// Unix seconds.
    public var created: Int
    /// The served model's id.
    public var model: String
    /// Whether the last chunk carries usage.
    public var includesUsage: Bool

    /// An encoder for one stream.
    public init(id: String, created: Int, model: String, includesUsage: Bool) {
        self.id = id
        self.created = created
        self.model = model
        self.includesUsage = includesUsage
    }

    /// The chunks for one generation event.
    public func chunks(for event: GenerationEvent) -> [TextCompletion] {
        switch event {
        case .reasoning(let text):
            return [chunk(.init(text: "", reasoningContent: text))]
        case .text(let text):
            return [chunk(.init(text: text))]
        case .toolCall:
            return []  // Raw completion has no tools.
        case .done(let stats):
            let last = chunk(.init(text: "", finishReason: finishReason(stats.stopReason) ?? "stop"))
            guard includesUsage else { return [last] }
            return [last, TextCompletion(id: id, created: created, model: model, choices: [], usage: Usage(stats),
                                         writesUsage: true)]
        }
    }

    private func chunk(_ choice: TextCompletion.Choice) -> TextCompletion {
        TextCompletion(id: id, created: created, model: model, choices: [choice], usage: nil, writesUsage: includesUsage)
    }
}

/// The whole reply of a generation, gathered from its events.
public struct ReplyAccumulator: Sendable {
    /// The answer so far.
    public private(set) var answer = ""
    /// The reasoning so far.
    public private(set) var reasoning = ""
    /// The statistics, once `.done` came.
    public private(set) var stats: GenerationStats?
    /// The tool calls so far, each with a new id.
    public private(set) var toolCalls: [ResponseToolCall] = []

    /// An empty reply.
    public init() {}

    /// Adds one event.
    public mutating func add(_ event: GenerationEvent) {
        switch event {
        case .reasoning(let text): reasoning += text
        case .text(let text): answer += text
        case .toolCall(let name, let arguments): toolCalls.append(ResponseToolCall(ToolCall(name: name, arguments: arguments)))
        case .done(let stats): self.stats = stats
        }
    }

    /// The chat completion of the finished reply.
    public func chatCompletion(id: String, created: Int, model: String, stats: GenerationStats) -> ChatCompletion {
        ChatCompletion(
            id: id, created: created, model: model,
            choices: [.init(message: .init(content: answer.isEmpty && !toolCalls.isEmpty ? nil : answer,
                                           reasoningContent: reasoning.isEmpty ? nil : reasoning, toolCalls: toolCalls),
                            finishReason: finishReason(stats.stopReason, toolCalls: toolCalls.count) ?? "stop")],
            usage: Usage(stats))
    }

    /// The text completion of the finished reply.
    public func textCompletion(id: String, created: Int, model: String, stats: GenerationStats) -> TextCompletion {
        TextCompletion(
            id: id, created: created, model: model,
            choices: [.init(text: answer, reasoningContent: reasoning.isEmpty ? nil : reasoning,
                            finishReason: finishReason(stats.stopReason) ?? "stop")],
            usage: Usage(stats), writesUsage: true)
    }
}
