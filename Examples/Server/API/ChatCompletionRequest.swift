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
    /// `tools`: the functions the model may call (none when absent).
    public var tools: [ToolDefinition]
    /// `tool_choice`; nil when not sent (the library's default, `auto`).
    public var toolChoice: ToolChoice?
    /// `parallel_tool_calls`: whether one answer may hold several calls (true when not sent).
    public var parallelToolCalls: Bool

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, messages, stream, user, tools
        case streamOptions = "stream_options"
        case toolChoice = "tool_choice"
        case parallelToolCalls = "parallel_tool_calls"
    }

    /// The keys this server reads: its own and the sampling fields.
    public static let supportedKeys = Set(CodingKeys.allCases.map(\.rawValue)).union(SamplingFields.keys)

    /// Keys of the OpenAI chat API that this server does not implement: a request that sets
    /// one gets a 400 naming it.
    ///
    /// Tool calling is implemented (`tools`, `tool_choice`, `parallel_tool_calls`); the legacy
    /// `functions` and `function_call` that OpenAI replaced with them are not.
    public static let unsupportedKeys: Set<String> = [
        "functions", "function_call",
        "logprobs", "top_logprobs", "logit_bias", "audio", "modalities", "prediction", "store", "metadata",
        "service_tier", "reasoning_effort", "web_search_options", "verbosity", "prompt_cache_key", "safety_identifier",
    ]

    /// Reads the body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        messages = try container.decode([RequestMessage].self, forKey: .messages)
        sampling = try SamplingFields(from: decoder)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        tools = try Self.decodeTools(container)
        toolChoice = try container.decodeIfPresent(RequestToolChoice.self, forKey: .toolChoice)?.choice
        parallelToolCalls = try container.decodeIfPresent(Bool.self, forKey: .parallelToolCalls) ?? true
    }

    /// `tools`: a non-empty list of functions with distinct names.
    private static func decodeTools(_ container: KeyedDecodingContainer<CodingKeys>) throws -> [ToolDefinition] {
        guard let tools = try container.decodeIfPresent([RequestTool].self, forKey: .tools)?.map(\.definition) else {
            return []
        }
        guard !tools.isEmpty else {
            throw APIError.invalidRequest("Invalid 'tools': empty array. Expected an array with at least one function.",
                                          param: "tools", code: "empty_array")
        }
        var names = Set<String>()
        for (index, tool) in tools.enumerated() where !names.insert(tool.name).inserted {
            throw APIError.invalidRequest("Invalid 'tools': the function name '\(tool.name)' is given twice.",
                                          param: "tools[\(index)].function.name", code: "invalid_value")
        }
        return tools
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
        var parameters = try sampling.parameters(defaults: defaults, maxTokensParam: "max_tokens")
        if let toolChoice { parameters.toolChoice = try checked(toolChoice, constrained: parameters.constraint != nil) }
        parameters.parallelToolCalls = parallelToolCalls
        return parameters
    }

    /// The tool choice, when it can apply to ``tools``: a required call needs tools, a named
    /// one must be among them, and neither goes with `response_format`.
    private func checked(_ choice: ToolChoice, constrained: Bool) throws(APIError) -> ToolChoice {
        switch choice {
        case .auto, .none:
            return choice
        case .required, .function:
            guard !tools.isEmpty else {
                throw .invalidRequest("'tool_choice' requires a call, but no 'tools' were given.", param: "tool_choice",
                                      code: "invalid_value")
            }
            if case .function(let name) = choice, !tools.contains(where: { $0.name == name }) {
                throw .invalidRequest("Invalid value for 'tool_choice': no function named '\(name)' in 'tools'.",
                                      param: "tool_choice", code: "invalid_value")
            }
            guard !constrained else {
                throw .invalidRequest("'tool_choice' cannot require a call together with 'response_format'.",
                                      param: "tool_choice", code: "invalid_value")
            }
            return choice
        }
    }
}

/// One message of a chat request, as sent.
public struct RequestMessage: Decodable, Sendable {
    /// `system`, `developer` (taken as system), `user`, `assistant` or `tool`.
    public var role: String
    /// The text: a string, or an array of `{"type": "text", "text"}` parts; null only for
    /// the assistant.
    public var content: MessageContent?
    /// An assistant message's `tool_calls`.
    public var toolCalls: [RequestToolCall]?
    /// A tool message's `tool_call_id` (required there; the template does not show it).
    public var toolCallID: String?

    enum CodingKeys: String, CodingKey {
        case role, content
        case toolCalls = "tool_calls"
        case toolCallID = "tool_call_id"
    }

    /// The message as a Minnow message.
    func chatMessage(at index: Int) throws(APIError) -> ChatMessage {
        let role: ChatMessage.Role
        switch self.role {
        case "system", "developer": role = .system
        case "user": role = .user
        case "assistant": role = .assistant
        case "tool":
            role = .tool
            guard toolCallID != nil else {
                throw .invalidRequest("Missing required parameter: 'messages[\(index)].tool_call_id'.",
                                      param: "messages[\(index)].tool_call_id", code: "missing_required_parameter")
            }
        case "function":
            throw .invalidRequest("Messages with role 'function' (the legacy function calling) are not supported; use 'tool'.",
                                  param: "messages[\(index)].role", code: "unsupported_value")
        default:
            throw .invalidRequest(
                "Invalid value for 'messages[\(index)].role': '\(self.role)'. Expected 'system', 'developer', 'user', "
                    + "'assistant' or 'tool'.",
                param: "messages[\(index)].role", code: "invalid_value")
        }
        let calls = toolCalls?.map(\.call) ?? []
        if !calls.isEmpty && role != .assistant {
            throw .invalidRequest("Only assistant messages carry 'tool_calls'.", param: "messages[\(index)].tool_calls",
                                  code: "invalid_value")
        }
        var message = try chatMessage(role: role, at: index)
        message.toolCalls = calls
        return message
    }

    /// The message's text as a Minnow message.
    private func chatMessage(role: ChatMessage.Role, at index: Int) throws(APIError) -> ChatMessage {
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
