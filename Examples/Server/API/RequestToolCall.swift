import Foundation
import Minnow

/// One entry of an assistant message's `tool_calls`: `{"id", "type": "function", "function":
/// {"name", "arguments"}}`, with the arguments as a JSON string of an object.
public struct RequestToolCall: Decodable, Sendable {
    /// The call as the chat template shows it (the id is not shown to the model).
    public var call: ToolCall

    enum CodingKeys: String, CodingKey { case id, type, function }
    enum FunctionKeys: String, CodingKey { case name, arguments }

    /// Reads one call; arguments that are not a JSON object's text are a 400.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        _ = try container.decodeIfPresent(String.self, forKey: .id)
        if let type = try container.decodeIfPresent(String.self, forKey: .type), type != "function" {
            let name = RequestDecoding.path(decoder.codingPath + [CodingKeys.type])
            throw APIError.invalidRequest("Invalid value for '\(name)': '\(type)'. Expected 'function'.", param: name,
                                          code: "invalid_value")
        }
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        let name = try function.decode(String.self, forKey: .name)
        let arguments = try function.decode(String.self, forKey: .arguments)
        guard (try? JSONSerialization.jsonObject(with: Data(arguments.utf8))) is [String: Any] else {
            let param = RequestDecoding.path(decoder.codingPath + [CodingKeys.function, FunctionKeys.arguments])
            throw APIError.invalidRequest("Invalid value for '\(param)': expected the JSON text of an object.",
                                          param: param, code: "invalid_value")
        }
        call = ToolCall(name: name, arguments: arguments)
    }
}
