import MinnowTemplate

/// A function the model may call: its name, what it does, and a JSON schema of its arguments.
///
/// A ``ChatSession`` given tools (or a ``BatchGenerator`` call) shows them to the model through
/// the model's own chat template (the template's `tools` variable, in OpenAI's
/// `{"type": "function", "function": …}` shape; a template that ignores that variable gets them
/// in a section of the system message), recognizes calls in the model's
/// ``Model/toolCallFormat``, and constrains a call's arguments to `parameters` once the model
/// has started one. ``GenerationParameters/toolChoice`` says
/// whether the model may, must or must not call one.
public struct ToolDefinition: Sendable, Hashable {
    /// The function's name, as the model writes it in a call.
    public let name: String
    /// What the function does, shown to the model.
    public let description: String
    /// The JSON schema of the arguments object, as JSON text.
    public let parameters: String

    /// A tool.
    /// - Parameters:
    ///   - name: The function's name.
    ///   - description: What it does.
    ///   - parameters: The JSON schema of its arguments (an object schema), as JSON text. It must
    ///     be within what ``Grammar/init(jsonSchema:)`` supports, without `$ref`.
    /// - Throws: ``GrammarError`` when the schema is not JSON or cannot be enforced.
    public init(name: String, description: String, parameters: String) throws {
        _ = try Grammar(jsonSchema: parameters)
        let schema = try Self.parse(parameters)
        if case .object(let map) = schema, map["$ref"] != nil || map["$defs"] != nil || map["definitions"] != nil {
            throw GrammarError.unsupportedSchema(pointer: "/$ref", message: "a tool's parameters cannot use '$ref'")
        }
        self.name = name
        self.description = description
        self.parameters = parameters
    }

    /// The schema's value; it parsed when the tool was made.
    var parametersValue: TemplateValue {
        (try? Self.parse(parameters)) ?? .object(OrderedMap())
    }

    /// The tool as the chat template sees it: `{"type": "function", "function": {name,
    /// description, parameters}}`.
    var templateValue: TemplateValue {
        [
            "type": "function",
            "function": ["name": .string(name), "description": .string(description), "parameters": parametersValue],
        ]
    }

    private static func parse(_ text: String) throws -> TemplateValue {
        do {
            return try TemplateValue(json: text)
        } catch {
            throw GrammarError.invalidSchemaJSON(error.description)
        }
    }
}

/// A call the model made to one of its tools.
public struct ToolCall: Sendable, Hashable, Codable {
    /// The tool's name.
    public var name: String
    /// The arguments, as compact JSON text of an object.
    public var arguments: String

    /// A call.
    public init(name: String, arguments: String) {
        self.name = name
        self.arguments = arguments
    }
}
