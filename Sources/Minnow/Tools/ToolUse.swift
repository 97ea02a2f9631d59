/// What one generation does with its tools under its ``ToolChoice``: the tools its prompt
/// shows, the call syntax its answer is scanned with, and the call its answer must begin with.
package struct ToolUse: Sendable {
    /// The tools the chat template shows (none under ``ToolChoice/none``).
    package let shownTools: [ToolDefinition]
    /// The syntax calls in the answer are scanned for and held to; nil when calls are not looked
    /// for.
    package let syntax: ToolCallSyntax?
    /// Under ``ToolChoice/required`` or ``ToolChoice/function(_:)``: the grammar of the call,
    /// its opening (`<tool_call>`, `<｜tool▁calls▁begin｜>`) included, that the answer must begin
    /// with.
    package let forcedCall: Grammar?

    /// The use of `tools` under `parameters`' tool choice.
    /// - Parameters:
    ///   - format: The model's call format (``Model/toolCallFormat``).
    ///   - syntax: `ToolCallSyntax(tools: tools, format: format)` when the caller already made
    ///     it (a chat keeps it from turn to turn); nil to make it here.
    /// - Throws: ``ToolChoiceError`` when the choice cannot be applied to these tools or with
    ///   these parameters, ``GrammarError`` when the tools' schemas cannot be combined.
    package init(
        tools: [ToolDefinition], parameters: GenerationParameters, format: ToolCallFormat = .hermes,
        syntax: ToolCallSyntax? = nil
    ) throws {
        let forcedTools: [ToolDefinition]?
        switch parameters.toolChoice {
        case .none:
            self.init(shownTools: [], syntax: nil, forcedCall: nil)
            return
        case .auto:
            forcedTools = nil
        case .required:
            forcedTools = tools
        case .function(let name):
            guard !tools.isEmpty else { throw ToolChoiceError.noTools }
            let named = tools.filter { $0.name == name }
            guard !named.isEmpty else { throw ToolChoiceError.unknownTool(name) }
            forcedTools = named
        }
        if let forcedTools {
            guard !forcedTools.isEmpty else { throw ToolChoiceError.noTools }
            guard parameters.constraint == nil else { throw ToolChoiceError.conflictsWithConstraint }
        }
        guard !tools.isEmpty else {
            self.init(shownTools: [], syntax: nil, forcedCall: nil)
            return
        }
        self.init(
            shownTools: tools, syntax: try syntax ?? ToolCallSyntax(tools: tools, format: format),
            forcedCall: try forcedTools.map {
                try ToolCallSyntax.forcedCallGrammar(for: $0, format: format, parallel: parameters.parallelToolCalls)
            })
    }

    private init(shownTools: [ToolDefinition], syntax: ToolCallSyntax?, forcedCall: Grammar?) {
        self.shownTools = shownTools
        self.syntax = syntax
        self.forcedCall = forcedCall
    }
}
