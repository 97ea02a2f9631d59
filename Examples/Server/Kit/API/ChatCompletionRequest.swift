import Foundation
import Minnow

/// The body of `POST /v1/chat/completions`, as sent.
public struct ChatCompletionRequest: Decodable, Sendable {
    /// The model name; this server serves one model and accepts any name.
    public var model: String?
    /// The conversation.
    public var messages: [RequestMessage]
    /// Generation parameters.
    public var sampling: SamplingFields
    /// Whether to answer with server-sent events.
    public var stream: Bool
    /// Streaming options.
    public var streamOptions: StreamOptions?
    /// The end user's id; only logged.
    public var user: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, temperature, seed, stop, stream, n, user
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case streamOptions = "stream_options"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case thinkingBudget = "thinking_budget"
        case responseFormat = "response_format"
    }

    /// The keys this server reads.
    public static let supportedKeys = Set(CodingKeys.allCases.map(\.rawValue))

    /// Keys of the OpenAI chat API that this server does not implement: a request that sets
    /// one gets a 400 naming it.
    ///
    /// Tool calling (`tools`, `tool_choice`, `parallel_tool_calls`, `functions`,
    /// `function_call`) stays here until the library parses tool calls from a chat answer
    /// (`ChatSession` has no tool-call support yet); `response_format` is implemented (see
    /// ``ResponseFormat``).
    public static let unsupportedKeys: Set<String> = [
        "tools", "tool_choice", "parallel_tool_calls", "functions", "function_call",
        "logprobs", "top_logprobs", "logit_bias", "audio", "modalities", "prediction", "store", "metadata",
        "service_tier", "reasoning_effort", "web_search_options", "verbosity", "prompt_cache_key", "safety_identifier",
    ]

    /// Reads the body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        messages = try container.decode([RequestMessage].self, forKey: .messages)
        let maxTokens = try container.decodeInteger(Int.self, forKey: .maxTokens)
        let maxCompletionTokens = try container.decodeInteger(Int.self, forKey: .maxCompletionTokens)
        if let maxTokens, let maxCompletionTokens, maxTokens != maxCompletionTokens {
            throw APIError.invalidRequest("Give 'max_tokens' or 'max_completion_tokens', not two different values.",
                                          param: "max_completion_tokens", code: "invalid_value")
        }
        sampling = SamplingFields(
            maxTokens: maxCompletionTokens ?? maxTokens,
            temperature: try container.decodeIfPresent(Double.self, forKey: .temperature),
            topP: try container.decodeIfPresent(Double.self, forKey: .topP),
            seed: try container.decodeInteger(Int64.self, forKey: .seed),
            stop: try container.decodeIfPresent(StopField.self, forKey: .stop),
            presencePenalty: try container.decodeIfPresent(Double.self, forKey: .presencePenalty),
            frequencyPenalty: try container.decodeIfPresent(Double.self, forKey: .frequencyPenalty),
            n: try container.decodeInteger(Int.self, forKey: .n),
            thinkingBudget: try container.decodeInteger(Int.self, forKey: .thinkingBudget),
            responseFormat: try container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat))
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        user = try container.decodeIfPresent(String.self, forKey: .user)
    }

    /// Decodes and checks a body; see ``RequestDecoding``.
    public static func decode(_ data: Data) throws(APIError) -> ChatCompletionRequest {
        try RequestDecoding.decode(ChatCompletionRequest.self, from: data, supported: supportedKeys, unsupported: unsupportedKeys)
    }

    /// The conversation as Minnow messages. Throws a 400 for an empty list, an unknown role or
    /// content that is not text.
    public func chatMessages() throws(APIError) -> [ChatMessage] {
        guard !messages.isEmpty else {
            throw .invalidRequest("'messages' must contain at least one message.", param: "messages", code: "invalid_value")
        }
        var result: [ChatMessage] = []
        for (index, message) in messages.enumerated() {
            result.append(try message.chatMessage(at: index))
        }
        return result
    }

    /// Whether the last stream chunk carries usage.
    public var includesUsage: Bool { streamOptions?.includeUsage ?? false }

    /// Validated generation parameters.
    public func generationParameters(defaults: GenerationDefaults) throws(APIError) -> GenerationParameters {
        if streamOptions != nil && !stream {
            throw .invalidRequest("'stream_options' is only allowed when 'stream' is true.", param: "stream_options",
                                  code: "invalid_value")
        }
        return try sampling.parameters(defaults: defaults, maxTokensParam: "max_tokens")
    }
}

/// One message of a chat request, as sent.
public struct RequestMessage: Decodable, Sendable {
    /// `system`, `developer` (taken as system), `user` or `assistant`.
    public var role: String
    /// The text: a string, or an array of `{"type": "text", "text"}` parts; null only for
    /// the assistant.
    public var content: MessageContent?

    /// The message as a Minnow message.
    func chatMessage(at index: Int) throws(APIError) -> ChatMessage {
        let role: ChatMessage.Role
        switch self.role {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool", "function":
            throw .invalidRequest("Messages with role '\(self.role)' are not supported by this server (no tool calling).",
                                  param: "messages[\(index)].role", code: "unsupported_value")
        default:
            throw .invalidRequest(
                "Invalid value for 'messages[\(index)].role': '\(self.role)'. Expected 'system', 'developer', 'user' or 'assistant'.",
                param: "messages[\(index)].role", code: "invalid_value")
        }
        let param = "messages[\(index)].content"
        switch content {
        case nil:
            guard role == .assistant else {
                throw .invalidRequest("'\(param)' must be a string or an array of text parts.", param: param, code: "invalid_type")
            }
            return ChatMessage(role: role, content: "")
        case .text(let text):
            return ChatMessage(role: role, content: text)
        case .parts(let parts):
            var text = ""
            for (partIndex, part) in parts.enumerated() {
                guard part.type == "text", let piece = part.text else {
                    throw .invalidRequest("Only text content parts are supported (got '\(part.type)').",
                                          param: "\(param)[\(partIndex)]", code: "unsupported_value")
                }
                text += piece
            }
            return ChatMessage(role: role, content: text)
        }
    }
}

/// A message's content: a string or an array of parts.
public enum MessageContent: Decodable, Sendable {
    /// Plain text.
    case text(String)
    /// Content parts.
    case parts([ContentPart])

    /// Reads a string or an array of parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else if let parts = try? container.decode([ContentPart].self) {
            self = .parts(parts)
        } else {
            throw DecodingError.typeMismatch(String.self, .init(
                codingPath: decoder.codingPath, debugDescription: "expected a string or an array of content parts"))
        }
    }
}

/// One part of a message's content.
public struct ContentPart: Decodable, Sendable {
    /// The part's type; only `text` is supported.
    public var type: String
    /// The text of a `text` part.
    public var text: String?
}
