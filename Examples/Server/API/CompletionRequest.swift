import Foundation
import Minnow

/// The body of `POST /v1/completions` (the legacy text completion API), as sent.
public struct CompletionRequest: Decodable, Sendable {
    /// The model name; any is accepted.
    public var model: String?
    /// The raw prompt (no chat template; special-token strings are parsed).
    public var prompt: String
    /// Generation parameters.
    public var sampling: SamplingFields
    /// Whether to answer with server-sent events.
    public var stream: Bool
    /// Streaming options.
    public var streamOptions: StreamOptions?
    /// The end user's id; only logged.
    public var user: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, prompt, stream, user, echo
        case streamOptions = "stream_options"
    }

    /// The keys this server reads: its own and the sampling fields (`max_completion_tokens`
    /// belongs to the chat API only).
    public static let supportedKeys = Set(CodingKeys.allCases.map(\.rawValue))
        .union(SamplingFields.keys.subtracting(["max_completion_tokens"]))
    /// Keys of the OpenAI completions API that this server does not implement.
    public static let unsupportedKeys: Set<String> = ["suffix", "logprobs", "logit_bias", "best_of"]

    /// Reads the body.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decodeIfPresent(String.self, forKey: .model)
        if let one = try? container.decode(String.self, forKey: .prompt) {
            prompt = one
        } else if let list = try? container.decode([String].self, forKey: .prompt) {
            guard list.count == 1 else {
                throw APIError.invalidRequest("'prompt' must be one string (got a list of \(list.count)).", param: "prompt",
                                              code: "unsupported_value")
            }
            prompt = list[0]
        } else if container.contains(.prompt) {
            throw APIError.invalidRequest("'prompt' must be a string.", param: "prompt", code: "invalid_type")
        } else {
            throw APIError.invalidRequest("Missing required parameter: 'prompt'.", param: "prompt",
                                          code: "missing_required_parameter")
        }
        if try container.decodeIfPresent(Bool.self, forKey: .echo) == true {
            throw APIError.invalidRequest("'echo' is not supported by this server.", param: "echo", code: "unsupported_value")
        }
        sampling = try SamplingFields(from: decoder)
        stream = try container.decodeIfPresent(Bool.self, forKey: .stream) ?? false
        streamOptions = try container.decodeIfPresent(StreamOptions.self, forKey: .streamOptions)
        user = try container.decodeIfPresent(String.self, forKey: .user)
    }

    /// Decodes and checks a body; see ``RequestDecoding``.
    public static func decode(_ data: Data) throws(APIError) -> CompletionRequest {
        try RequestDecoding.decode(CompletionRequest.self, from: data, supported: supportedKeys, unsupported: unsupportedKeys)
    }

    /// Whether the last stream chunk carries usage.
    public var includesUsage: Bool { streamOptions?.includeUsage ?? false }

    /// Validated generation parameters. OpenAI's default for this endpoint is 16 tokens.
    public func generationParameters(defaults: GenerationDefaults) throws(APIError) -> GenerationParameters {
        guard !prompt.isEmpty else {
            throw .invalidRequest("'prompt' must not be empty.", param: "prompt", code: "invalid_value")
        }
        if streamOptions != nil && !stream {
            throw .invalidRequest("'stream_options' is only allowed when 'stream' is true.", param: "stream_options",
                                  code: "invalid_value")
        }
        var fields = sampling
        if fields.maxTokens == nil { fields.maxTokens = 16 }
        return try fields.parameters(defaults: defaults)
    }
}
