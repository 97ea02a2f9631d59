import Minnow

/// `tool_choice`: `"auto"`, `"none"`, `"required"` or `{"type": "function", "function":
/// {"name": …}}`.
public struct RequestToolChoice: Decodable, Sendable, Equatable {
    /// The choice.
    public var choice: ToolChoice

    enum CodingKeys: String, CodingKey { case type, function }
    enum FunctionKeys: String, CodingKey { case name }

    /// A choice.
    public init(_ choice: ToolChoice) { self.choice = choice }

    /// Reads a string or a named function.
    public init(from decoder: any Decoder) throws {
        let param = RequestDecoding.path(decoder.codingPath)
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            switch text {
            case "auto": choice = .auto
            case "none": choice = .none
            case "required": choice = .required
            default:
                throw APIError.invalidRequest(
                    "Invalid value for '\(param)': '\(text)'. Expected 'auto', 'none', 'required' or a function object.",
                    param: param, code: "invalid_value")
            }
            return
        }
        guard let container = try? decoder.container(keyedBy: CodingKeys.self) else {
            throw APIError.invalidRequest("Invalid type for '\(param)': expected a string or an object.", param: param,
                                          code: "invalid_type")
        }
        let type = try container.decode(String.self, forKey: .type)
        guard type == "function" else {
            throw APIError.invalidRequest("Invalid value for '\(param).type': '\(type)'. Expected 'function'.",
                                          param: "\(param).type", code: "invalid_value")
        }
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        choice = .function(try function.decode(String.self, forKey: .name))
    }
}
