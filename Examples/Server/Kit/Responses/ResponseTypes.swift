import Minnow

/// `usage`: token counts of one request.
public struct Usage: Encodable, Sendable, Equatable {
    /// `prompt_tokens_details`.
    public struct PromptDetails: Encodable, Sendable, Equatable {
        /// Prompt tokens found in the slot's KV cache and not evaluated again.
        public var cachedTokens: Int
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    /// `completion_tokens_details`.
    public struct CompletionDetails: Encodable, Sendable, Equatable {
        /// Of the completion tokens, those spent reasoning.
        public var reasoningTokens: Int
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    /// Tokens in the prompt, cached ones included.
    public var promptTokens: Int
    /// Tokens generated, reasoning included.
    public var completionTokens: Int
    /// Their sum.
    public var totalTokens: Int
    /// Cached prompt tokens.
    public var promptTokensDetails: PromptDetails
    /// Reasoning tokens.
    public var completionTokensDetails: CompletionDetails

    enum CodingKeys: String, CodingKey {
        case promptTokens = "prompt_tokens"
        case completionTokens = "completion_tokens"
        case totalTokens = "total_tokens"
        case promptTokensDetails = "prompt_tokens_details"
        case completionTokensDetails = "completion_tokens_details"
    }

    /// The usage of a finished generation.
    public init(_ stats: GenerationStats) {
        promptTokens = stats.promptTokens
        completionTokens = stats.generatedTokens
        totalTokens = stats.promptTokens + stats.generatedTokens
        promptTokensDetails = PromptDetails(cachedTokens: stats.cachedTokens)
        completionTokensDetails = CompletionDetails(reasoningTokens: stats.reasoningTokens)
    }
}

/// OpenAI's `finish_reason` for a stop reason: `stop` (end of turn or a stop string) or
/// `length` (`max_tokens` or the context window); nil for a cancelled generation.
public func finishReason(_ reason: StopReason) -> String? {
    switch reason {
    case .endOfSequence, .stopString: "stop"
    case .maxTokens, .contextFull: "length"
    case .cancelled: nil
    }
}

/// A non-streamed chat answer (`chat.completion`).
public struct ChatCompletion: Encodable, Sendable {
    /// The assistant's message.
    public struct Message: Encodable, Sendable, Equatable {
        /// Always `assistant`.
        public var role = "assistant"
        /// The answer; nil (sent as null) when the model only called tools.
        public var content: String?
        /// The reasoning (R1's thought), when there was any.
        public var reasoningContent: String?
        /// The tools the model called, in order (the key is left out when there are none).
        public var toolCalls: [ResponseToolCall] = []
        enum CodingKeys: String, CodingKey {
            case role, content
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
        }

        /// A message.
        public init(content: String?, reasoningContent: String? = nil, toolCalls: [ResponseToolCall] = []) {
            self.content = content
            self.reasoningContent = reasoningContent
            self.toolCalls = toolCalls
        }

        /// Writes `content` even when null, `reasoning_content` and `tool_calls` only when present.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            try container.encode(content, forKey: .content)
            try container.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
            if !toolCalls.isEmpty { try container.encode(toolCalls, forKey: .toolCalls) }
        }
    }

    /// The one choice.
    public struct Choice: Encodable, Sendable {
        /// Always 0.
        public var index = 0
        /// The message.
        public var message: Message
        /// `stop`, `length` or `tool_calls`.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey { case index, message, logprobs, finishReason = "finish_reason" }

        /// Encodes `logprobs` and `finish_reason` even when null.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(message, forKey: .message)
            try container.encodeNil(forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// `chatcmpl-…`.
    public var id: String
    /// `chat.completion`.
    public var object = "chat.completion"
    /// Unix seconds.
    public var created: Int
    /// The served model's id.
    public var model: String
    /// The choices (one).
    public var choices: [Choice]
    /// Token counts.
    public var usage: Usage
}

/// One server-sent chunk of a streamed chat answer (`chat.completion.chunk`).
public struct ChatCompletionChunk: StreamableCompletion, Sendable {
    /// What this chunk adds.
    public struct Delta: Encodable, Sendable, Equatable {
        /// `assistant`, in the first chunk only.
        public var role: String?
        /// A piece of the answer.
        public var content: String?
        /// A piece of the reasoning.
        public var reasoningContent: String?
        /// Tool calls, each whole in one delta, with its `index`.
        public var toolCalls: [ResponseToolCall]?
        enum CodingKeys: String, CodingKey {
            case role, content
            case reasoningContent = "reasoning_content"
            case toolCalls = "tool_calls"
        }

        /// A delta.
        public init(
            role: String? = nil, content: String? = nil, reasoningContent: String? = nil,
            toolCalls: [ResponseToolCall]? = nil
        ) {
            self.role = role
            self.content = content
            self.reasoningContent = reasoningContent
            self.toolCalls = toolCalls
        }
    }

    /// The one choice.
    public struct Choice: Encodable, Sendable {
        /// Always 0.
        public var index = 0
        /// The delta.
        public var delta: Delta
        /// Null until the last content chunk.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey { case index, delta, logprobs, finishReason = "finish_reason" }

        /// Encodes `logprobs` and `finish_reason` even when null.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encodeNil(forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// The request's id (the same in every chunk).
    public var id: String
    /// `chat.completion.chunk`.
    public var object = "chat.completion.chunk"
    /// Unix seconds.
    public var created: Int
    /// The served model's id.
    public var model: String
    /// One choice; none in the usage chunk.
    public var choices: [Choice]
    /// With `include_usage`: null in every chunk but the last, which has no choices.
    public var usage: Usage?
    /// Whether to write `usage` (as null when absent).
    public var writesUsage: Bool

}

/// A text completion (`text_completion`), whole or one streamed chunk of it.
public struct TextCompletion: StreamableCompletion, Sendable {
    /// The one choice.
    public struct Choice: Encodable, Sendable {
        /// The text (a piece of it, in a chunk).
        public var text: String
        /// Always 0.
        public var index = 0
        /// The reasoning (a Minnow extension, when the prompt opened R1's `<think>`).
        public var reasoningContent: String?
        /// `stop` or `length`; null in a chunk until the last.
        public var finishReason: String?

        enum CodingKeys: String, CodingKey {
            case text, index, logprobs
            case reasoningContent = "reasoning_content"
            case finishReason = "finish_reason"
        }

        /// Encodes `logprobs` and `finish_reason` even when null.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(text, forKey: .text)
            try container.encode(index, forKey: .index)
            try container.encodeIfPresent(reasoningContent, forKey: .reasoningContent)
            try container.encodeNil(forKey: .logprobs)
            try container.encode(finishReason, forKey: .finishReason)
        }
    }

    /// `cmpl-…`.
    public var id: String
    /// `text_completion`.
    public var object = "text_completion"
    /// Unix seconds.
    public var created: Int
    /// The served model's id.
    public var model: String
    /// One choice; none in the usage chunk of a stream.
    public var choices: [Choice]
    /// Token counts: always in a whole completion; in a stream, only in the last chunk.
    public var usage: Usage?
    /// Whether to write `usage` (as null when absent).
    public var writesUsage: Bool

}

/// `GET /v1/models`.
public struct ModelList: Encodable, Sendable {
    /// One served model.
    public struct Entry: Encodable, Sendable {
        /// The id clients send as `model`.
        public var id: String
        /// `model`.
        public var object = "model"
        /// Unix seconds (the server's start).
        public var created: Int
        /// `minnow`.
        public var ownedBy = "minnow"
        enum CodingKeys: String, CodingKey { case id, object, created, ownedBy = "owned_by" }
    }

    /// `list`.
    public var object = "list"
    /// The served model.
    public var data: [Entry]
}

/// A completion object that a stream sends in chunks: `usage` is written only when the client
/// asked for it (`stream_options.include_usage`, or always in a whole text completion).
public protocol StreamableCompletion: Encodable {
    /// One choice of the completion.
    associatedtype Choice: Encodable
    /// The request's id.
    var id: String { get }
    /// The object type, such as `chat.completion.chunk`.
    var object: String { get }
    /// Unix seconds.
    var created: Int { get }
    /// The served model's id.
    var model: String { get }
    /// The choices.
    var choices: [Choice] { get }
    /// Token counts, when known.
    var usage: Usage? { get }
    /// Whether to write `usage` (as null when absent).
    var writesUsage: Bool { get }
}

private enum StreamableCompletionKeys: String, CodingKey { case id, object, created, model, choices, usage }

extension StreamableCompletion {
    /// Writes the fields in OpenAI's order, and `usage` only when ``writesUsage`` is set.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: StreamableCompletionKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(object, forKey: .object)
        try container.encode(created, forKey: .created)
        try container.encode(model, forKey: .model)
        try container.encode(choices, forKey: .choices)
        if writesUsage { try container.encode(usage, forKey: .usage) }
    }
}
