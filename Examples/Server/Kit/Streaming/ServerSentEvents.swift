import Foundation
import ServerAPI

/// Server-sent event framing as OpenAI streams use it: each event one `data: <json>` line and
/// a blank line, the stream ending with `data: [DONE]`.
public enum ServerSentEvents {
    /// The event that ends a stream.
    public static let done = "data: [DONE]\n\n"

    /// One event holding `value` as JSON (on one line: JSON escapes every newline in strings).
    public static func event(_ value: some Encodable) -> String {
        "data: " + JSONText.encode(value) + "\n\n"
    }
}

/// JSON text of a response value.
public enum JSONText {
    /// `value` as compact JSON. The response types encode only strings, numbers and nested
    /// values of their own, which cannot fail to encode.
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(value) else {
            return #"{"error":{"message":"the response could not be encoded","type":"server_error","param":null,"code":null}}"#
        }
        return String(decoding: data, as: UTF8.self)
    }
}
