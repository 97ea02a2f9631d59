import Foundation
import Minnow

/// One entry of `tools`: `{"type": "function", "function": {"name", "description",
/// "parameters"}}`, read into the ``ToolDefinition`` the model is shown.
///
/// The parameters' JSON schema is kept as the client wrote it (key order included, as for
/// ``JSONSchemaFormat``); no `parameters` means a function without arguments (any object).
public struct RequestTool: Decodable, Sendable {
    /// The tool.
    public var definition: ToolDefinition

    enum CodingKeys: String, CodingKey { case type, function }
    enum FunctionKeys: String, CodingKey { case name, description, parameters, strict }

    /// Reads one tool; anything but a function with a valid name and a supported schema is a
    /// 400 naming the field.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        guard type == "function" else {
            let name = RequestDecoding.path(decoder.codingPath + [CodingKeys.type])
            throw APIError.invalidRequest("Invalid value for '\(name)': '\(type)'. Expected 'function'.", param: name,
                                          code: "invalid_value")
        }
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        let path = decoder.codingPath + [CodingKeys.function]
        let name = try function.decode(String.self, forKey: .name)
        guard Self.isValidName(name) else {
            let param = RequestDecoding.path(path + [FunctionKeys.name])
            throw APIError.invalidRequest(
                "Invalid value for '\(param)': '\(name)'. A function name is 1 to 64 letters, digits, '_' or '-'.",
                param: param, code: "invalid_value")
        }
        let description = try function.decodeIfPresent(String.self, forKey: .description) ?? ""
        let parametersParam = RequestDecoding.path(path + [FunctionKeys.parameters])
        var schema = #"{"type": "object"}"#
        if function.contains(.parameters), try !function.decodeNil(forKey: .parameters) {
            guard let body = decoder.userInfo[.rawRequestBody] as? Data,
                  let text = RawJSONLocator.text(at: path + [FunctionKeys.parameters], in: body)
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .parameters, in: function, debugDescription: "the schema's text could not be located in the request body")
            }
            guard text.first == "{" else {
                throw APIError.invalidRequest("Invalid type for '\(parametersParam)': expected a JSON object.",
                                              param: parametersParam, code: "invalid_type")
            }
            schema = text
        }
        do {
            definition = try ToolDefinition(name: name, description: description, parameters: schema)
        } catch {
            throw APIError.invalidRequest("Invalid schema for function '\(name)': \(error)", param: parametersParam,
                                          code: "invalid_value")
        }
    }

    /// OpenAI's rule for function names: `^[a-zA-Z0-9_-]{1,64}$`.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }
}

extension UInt8 {
    fileprivate var isASCIILetterOrDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self)
    }
}
