import MinnowTemplate

/// How a model writes its tool calls, chosen from its chat template (see ``Model/toolCallFormat``).
///
/// The format decides which text the answer is scanned for, the grammar a started call is held
/// to, how a finished call is read, and how the calls of earlier turns are shown to the model.
public enum ToolCallFormat: Sendable, Hashable, CustomStringConvertible {
    /// Qwen2.5's (Hermes-style) calls, one per tag pair:
    /// `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>`. The default for a template that
    /// does not spell DeepSeek's tool-call markers, and for a model without a template.
    case hermes
    /// DeepSeek-R1's calls: one block, `<｜tool▁calls▁begin｜>…<｜tool▁calls▁end｜>`, holding one or
    /// more `<｜tool▁call▁begin｜>function<｜tool▁sep｜>NAME\n```json\nARGUMENTS\n```<｜tool▁call▁end｜>`.
    /// Chosen when the template contains `tool▁calls▁begin`, as the R1 distills' templates do.
    case deepSeekR1

    /// The format a chat template's source writes: ``deepSeekR1`` when it spells DeepSeek's
    /// tool-call markers, ``hermes`` otherwise.
    package init(templateSource: String) {
        self = templateSource.contains("tool▁calls▁begin") ? .deepSeekR1 : .hermes
    }

    /// The format's name: `hermes` or `deepseek-r1`.
    public var description: String {
        switch self {
        case .hermes: return "hermes"
        case .deepSeekR1: return "deepseek-r1"
        }
    }

    /// The text that opens a region of calls: `<tool_call>` (one call) or
    /// `<｜tool▁calls▁begin｜>` (a block of calls).
    var blockOpening: String {
        switch self {
        case .hermes: return "<tool_call>"
        case .deepSeekR1: return "<｜tool▁calls▁begin｜>"
        }
    }

    /// The text that closes a region of calls.
    var blockClosing: String {
        switch self {
        case .hermes: return "</tool_call>"
        case .deepSeekR1: return "<｜tool▁calls▁end｜>"
        }
    }

    /// The markers around each call inside a block, or nil when the block is one call.
    var callMarkers: (opening: String, closing: String)? {
        switch self {
        case .hermes: return nil
        case .deepSeekR1: return (Self.deepSeekCallOpening, Self.deepSeekCallClosing)
        }
    }

    /// DeepSeek's opening of one call inside a block.
    static let deepSeekCallOpening = "<｜tool▁call▁begin｜>"
    /// DeepSeek's closing of one call inside a block.
    static let deepSeekCallClosing = "<｜tool▁call▁end｜>"
    /// DeepSeek's separator between a call's type (`function`) and its name.
    static let deepSeekSeparator = "<｜tool▁sep｜>"

    /// A system-prompt section that shows `tools` (not empty) and how to call them in this
    /// format, for a chat template that does not render its `tools` variable (the R1 distills'
    /// templates do not). Each tool is one line of JSON: its name, description and parameters'
    /// schema.
    func toolsSection(for tools: [ToolDefinition]) -> String {
        let lines = tools.map { tool -> String in
            let value: TemplateValue = [
                "name": .string(tool.name), "description": .string(tool.description), "parameters": tool.parametersValue,
            ]
            return (try? JSONSchemaConverter.compactJSON(value)) ?? tool.name
        }
        var text = "# Tools\n\nYou may call one or more of these functions to help with the user's request. "
            + "Each is described by a line of JSON: its name, what it does and the JSON schema of its arguments.\n\n"
            + lines.joined(separator: "\n") + "\n\n"
        switch self {
        case .hermes:
            text += "To call a function, write its name and its arguments (a JSON object that matches the "
                + "schema) in a <tool_call></tool_call> pair, one pair per call:\n"
                + "<tool_call>\n{\"name\": NAME, \"arguments\": ARGUMENTS}\n</tool_call>"
        case .deepSeekR1:
            text += "To call functions, write this in your answer (after your thinking), with the name and the "
                + "arguments (a JSON object that matches the schema) of each call; several calls go one after "
                + "the other, separated by a newline, inside the same \(blockOpening)\(blockClosing) pair:\n"
                + blockOpening + Self.deepSeekCallOpening + "function" + Self.deepSeekSeparator + "NAME\n```json\n"
                + "ARGUMENTS\n```" + Self.deepSeekCallClosing + blockClosing
        }
        return text + "\n\nThe results come back in the next message."
    }
}
