import Minnow

/// A tool call in an answer: an entry of `message.tool_calls`, or of a stream delta's
/// `tool_calls` (with its `index`). The arguments are the JSON text of an object, as OpenAI
/// sends them.
public struct ResponseToolCall: Encodable, Sendable, Equatable {
    /// `function`: the name and the arguments.
    public struct Function: Encodable, Sendable, Equatable {
        /// The function's name.
        public var name: String
        /// The arguments, as compact JSON text.
        public var arguments: String
    }

    /// The call's place among the answer's calls (stream deltas only).
    public var index: Int?
    /// `call_` and 24 random letters and digits.
    public var id: String
    /// Always `function`.
    public var type = "function"
    /// The function called.
    public var function: Function

    enum CodingKeys: String, CodingKey { case index, id, type, function }

    /// The entry for `call`, with a new id.
    public init(_ call: ToolCall, index: Int? = nil, id: String = ResponseToolCall.makeID()) {
        self.index = index
        self.id = id
        self.function = Function(name: call.name, arguments: call.arguments)
    }

    /// Writes `index` only in a delta.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(index, forKey: .index)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(function, forKey: .function)
    }

    /// A new call id: `call_` and 24 random letters and digits.
    public static func makeID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "call_" + String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}

/// OpenAI's `finish_reason` for a chat answer: `tool_calls` when the model made calls and then
/// ended its turn (or the server ended it after the first call, without
/// `parallel_tool_calls`), otherwise as ``finishReason(_:)``.
public func finishReason(_ reason: StopReason, toolCalls: Int) -> String? {
    switch reason {
    case .endOfSequence, .stopString: toolCalls > 0 ? "tool_calls" : finishReason(reason)
    case .maxTokens, .contextFull, .cancelled: finishReason(reason)
    }
}
