import Foundation
import MinnowTemplate

/// Qwen2.5's (Hermes-style) tool-call syntax, `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>`,
/// and the grammar that holds a started call to the tools' schemas.
package struct ToolCallSyntax: Sendable {
    static let opening = "<tool_call>"
    static let closing = "</tool_call>"

    /// The tools the model was shown.
    let tools: [ToolDefinition]
    /// What follows `<tool_call>`: a newline, an object whose `name` is one of the tools' and
    /// whose `arguments` match that tool's schema, a newline and `</tool_call>`.
    package let grammar: Grammar

    /// The syntax for `tools` (not empty).
    /// - Throws: ``GrammarError`` when the schemas cannot be combined into one grammar.
    package init(tools: [ToolDefinition]) throws {
        self.tools = tools
        grammar = try Grammar(gbnf: Self.source(for: tools, withOpeningTag: false))
    }

    /// The grammar of a whole call to one of `tools` (not empty), `<tool_call>` included: what
    /// an answer under ``ToolChoice/required`` or ``ToolChoice/function(_:)`` begins with.
    /// - Throws: ``GrammarError`` when the schemas cannot be combined into one grammar.
    package static func forcedCallGrammar(for tools: [ToolDefinition]) throws -> Grammar {
        try Grammar(gbnf: source(for: tools, withOpeningTag: true))
    }

    /// The GBNF of a call's text after `<tool_call>` (or from it, `withOpeningTag`): a newline,
    /// an object whose `name` is one of the tools' and whose `arguments` match that tool's
    /// schema, a newline and `</tool_call>`.
    private static func source(for tools: [ToolDefinition], withOpeningTag: Bool) throws -> String {
        let branches: [TemplateValue] = tools.map { tool in
            [
                "type": "object",
                "properties": ["name": ["const": .string(tool.name)], "arguments": tool.parametersValue],
                "required": ["name", "arguments"],
                "additionalProperties": false,
            ]
        }
        var converter = JSONSchemaConverter(root: ["oneOf": .array(branches)])
        let body = try converter.grammar()
        // The converter's first line is its `root` rule; it becomes the call object's rule.
        guard body.hasPrefix("root ::= ") else {
            throw GrammarError.unsupportedSchema(pointer: "", message: "the tools' schemas did not convert")
        }
        let opening = withOpeningTag ? #""<tool_call>" "# : ""
        return "root ::= " + opening + #""\n" tool-call-object "\n" "</tool_call>""# + "\n"
            + "tool-call-object ::= " + body.dropFirst("root ::= ".count)
    }

    /// The call that `body` (the text between the tags) spells, or nil when it is not a JSON
    /// object with a string `name` and an object `arguments`.
    package static func parseCall(_ body: String) -> ToolCall? {
        guard let value = try? TemplateValue(json: body.trimmingCharacters(in: .whitespacesAndNewlines)),
              case .string(let name)? = value["name"], let arguments = value["arguments"],
              case .object = arguments,
              let text = try? JSONSchemaConverter.compactJSON(arguments)
        else { return nil }
        return ToolCall(name: name, arguments: text)
    }
}
