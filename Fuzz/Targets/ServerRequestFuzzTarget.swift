import Foundation
import Minnow
import ServerAPI

/// Arbitrary bytes as the body of a `minnow-serve` request. The first byte chooses the endpoint
/// (even: `/v1/chat/completions`, odd: `/v1/completions`); the rest is the body.
///
/// The server runs exactly these steps before a request may queue: decoding (with the check of
/// unknown and unsupported keys), the conversion of the messages (roles, content parts, tool
/// calls and tool results), and the sampling parameters (bounds, `response_format` schemas
/// compiled to grammars, tools and `tool_choice`). Properties checked: no input crashes or
/// traps in them; every refusal is an `APIError` with a 4xx status whose OpenAI body encodes
/// to JSON that reads back as `{"error": {"message": …, "type": …}}` with a non-empty message.
enum ServerRequestFuzzTarget {
    static let defaults = GenerationDefaults(maxTokens: 16, temperature: 0.7)

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let endpoint = bytes.first else { return }
        let body = Data(bytes.dropFirst())
        do throws(APIError) {
            if endpoint % 2 == 0 {
                let request = try ChatCompletionRequest.decode(body)
                _ = try request.chatMessages()
                _ = try request.generationParameters(defaults: defaults)
            } else {
                let request = try CompletionRequest.decode(body)
                _ = try request.generationParameters(defaults: defaults)
            }
        } catch {
            check(error)
        }
    }

    /// A refusal must be a client error with a well-formed OpenAI body.
    private static func check(_ error: APIError) {
        require((400..<500).contains(error.status), "status \(error.status) for a bad request: \(error.message)")
        require(!error.message.isEmpty, "an error without a message")
        let encoded: Data
        do {
            encoded = try JSONEncoder().encode(error.body)
        } catch {
            preconditionFailure("the error body does not encode: \(error)")
        }
        let object = try? JSONSerialization.jsonObject(with: encoded) as? [String: Any]
        let details = object?["error"] as? [String: Any]
        require(details?["message"] is String && details?["type"] is String,
                "the error body is not OpenAI-shaped: \(String(decoding: encoded, as: UTF8.self))")
    }
}
