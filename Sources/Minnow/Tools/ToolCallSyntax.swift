import Foundation
import MinnowTemplate

/// A model's tool-call syntax (its ``ToolCallFormat``) for a set of tools: the grammar that holds
/// a started block of calls to the tools' schemas, the grammar of a forced call, and the reading
/// of a finished call.
///
/// - Hermes (Qwen2.5): after `<tool_call>`, a newline, `{"name": …, "arguments": {…}}`, a newline
///   and `</tool_call>`; one call per tag pair.
/// - DeepSeek-R1: after `<｜tool▁calls▁begin｜>`, one or more
///   `<｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME\n```json\nARGUMENTS\n```<｜tool▁call▁end｜>`
///   (separated by an optional newline), then `<｜tool▁calls▁end｜>`.
package struct ToolCallSyntax: Sendable {
    /// The format the tools are called in.
    package let format: ToolCallFormat
    /// The tools the model was shown.
    let tools: [ToolDefinition]
    /// What follows the opening text of a block (`<tool_call>` or `<｜tool▁calls▁begin｜>`): the
    /// rest of the block, its calls naming the tools and their arguments matching the schemas.
    package let grammar: Grammar
    /// As ``grammar``, but with a single call in a block (``GenerationParameters/parallelToolCalls``
    /// off); the same grammar in the Hermes format, where a block is one call.
    package let singleCallGrammar: Grammar

    /// The syntax for `tools` (not empty) in `format`.
    /// - Throws: ``GrammarError`` when the schemas cannot be combined into one grammar.
    package init(tools: [ToolDefinition], format: ToolCallFormat = .hermes) throws {
        self.format = format
        self.tools = tools
        grammar = try Grammar(gbnf: Self.source(for: tools, format: format, withOpening: false, parallel: true))
        switch format {
        case .hermes: singleCallGrammar = grammar
        case .deepSeekR1:
            singleCallGrammar = try Grammar(
                gbnf: Self.source(for: tools, format: format, withOpening: false, parallel: false))
        }
    }

    /// The grammar of a block once its opening was written: several calls or, when not
    /// `parallel`, one.
    package func grammar(parallel: Bool) -> Grammar {
        parallel ? grammar : singleCallGrammar
    }

    /// The grammar of a whole block of calls to `tools` (not empty) in `format`, its opening
    /// text included: what an answer under ``ToolChoice/required`` or ``ToolChoice/function(_:)``
    /// begins with. Unless `parallel`, a DeepSeek block holds one call.
    /// - Throws: ``GrammarError`` when the schemas cannot be combined into one grammar.
    package static func forcedCallGrammar(
        for tools: [ToolDefinition], format: ToolCallFormat = .hermes, parallel: Bool = true
    ) throws -> Grammar {
        try Grammar(gbnf: source(for: tools, format: format, withOpening: true, parallel: parallel))
    }

    /// The GBNF of a block's text after its opening (or from it, `withOpening`).
    private static func source(
        for tools: [ToolDefinition], format: ToolCallFormat, withOpening: Bool, parallel: Bool
    ) throws -> String {
        switch format {
        case .hermes: return try hermesSource(for: tools, withOpeningTag: withOpening)
        case .deepSeekR1: return try deepSeekSource(for: tools, withOpening: withOpening, parallel: parallel)
        }
    }

    /// The Hermes GBNF: a newline, an object whose `name` is one of the tools' and whose
    /// `arguments` match that tool's schema, a newline and `</tool_call>`.
    private static func hermesSource(for tools: [ToolDefinition], withOpeningTag: Bool) throws -> String {
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

    /// The DeepSeek GBNF: calls, each `<｜tool▁call▁begin｜>function<｜tool▁sep｜>`, a tool's
    /// name, a newline, a ```` ```json ```` fence, arguments matching that tool's schema and the
    /// closing fence and `<｜tool▁call▁end｜>`; then `<｜tool▁calls▁end｜>`.
    private static func deepSeekSource(for tools: [ToolDefinition], withOpening: Bool, parallel: Bool) throws -> String {
        let format = ToolCallFormat.deepSeekR1
        let opening = withOpening ? literal(format.blockOpening) + " " : ""
        let calls = parallel ? #"tool-call ( "\n"? tool-call )*"# : "tool-call"
        var callRule = ""
        var converter = JSONSchemaConverter(root: .null)
        let text = try converter.grammar(composing: tools.map(\.parametersValue)) { arguments in
            let alternatives = zip(tools, arguments).map { tool, argument in
                literal(tool.name + "\n```json\n") + " " + argument
            }
            let callOpening = ToolCallFormat.deepSeekCallOpening + "function" + ToolCallFormat.deepSeekSeparator
            callRule = "tool-call ::= " + literal(callOpening)
                + " ( " + alternatives.joined(separator: " | ") + " ) " + literal("\n```" + ToolCallFormat.deepSeekCallClosing) + "\n"
            return opening + calls + #" "\n"? "# + literal(format.blockClosing)
        }
        return text + callRule
    }

    /// The call that `body` spells in `format`, or nil when it is not a well-formed call.
    ///
    /// For Hermes, `body` is the text between `<tool_call>` and `</tool_call>`: a JSON object
    /// with a string `name` and an object `arguments`. For DeepSeek-R1 it is the text between
    /// `<｜tool▁call▁begin｜>` and `<｜tool▁call▁end｜>`: `function<｜tool▁sep｜>NAME`, a newline and
    /// the arguments object, optionally in a ```` ``` ```` or ```` ```json ```` fence.
    package static func parseCall(_ body: String, format: ToolCallFormat = .hermes) -> ToolCall? {
        switch format {
        case .hermes: return parseHermesCall(body)
        case .deepSeekR1: return parseDeepSeekCall(body)
        }
    }

    private static func parseHermesCall(_ body: String) -> ToolCall? {
        guard let value = try? TemplateValue(json: body.trimmingCharacters(in: .whitespacesAndNewlines)),
              case .string(let name)? = value["name"], let arguments = value["arguments"]
        else { return nil }
        return call(name: name, arguments: arguments)
    }

    private static func parseDeepSeekCall(_ body: String) -> ToolCall? {
        guard let separator = body.range(of: ToolCallFormat.deepSeekSeparator),
              body[..<separator.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines) == "function"
        else { return nil }
        let rest = body[separator.upperBound...]
        guard let newline = rest.firstIndex(of: "\n") else { return nil }
        let name = rest[..<newline].trimmingCharacters(in: .whitespaces)
        var arguments = rest[newline...].trimmingCharacters(in: .whitespacesAndNewlines)
        if arguments.hasPrefix("```") {
            guard arguments.hasSuffix("```"), arguments.count >= 6 else { return nil }
            arguments = String(arguments.dropFirst(3).dropLast(3))
            if arguments.hasPrefix("json") { arguments = String(arguments.dropFirst(4)) }
        }
        guard !name.isEmpty, let value = try? TemplateValue(json: arguments.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return nil }
        return call(name: name, arguments: value)
    }

    /// A call to `name` when `arguments` is an object.
    private static func call(name: String, arguments: TemplateValue) -> ToolCall? {
        guard case .object = arguments, let text = try? JSONSchemaConverter.compactJSON(arguments) else { return nil }
        return ToolCall(name: name, arguments: text)
    }
}
