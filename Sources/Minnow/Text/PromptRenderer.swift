/// The seam between the public API and a chat template: messages to prompt text.
package protocol PromptRenderer: Sendable {
    /// The prompt text for `messages` (roles and contents), ending with the assistant's header
    /// when `addGenerationPrompt` is true.
    func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String

    /// The prompt text for `messages` with `tools` shown to the model, as the template's
    /// `tools` variable, and assistant messages' tool calls as `tool_calls`.
    func render(_ messages: [ChatMessage], tools: [ToolDefinition], addGenerationPrompt: Bool) throws -> String

    /// How the model writes tool calls, as its template shows them.
    var toolCallFormat: ToolCallFormat { get }
}

extension PromptRenderer {
    /// Renderers that know no tools render the messages alone.
    package func render(_ messages: [ChatMessage], tools: [ToolDefinition], addGenerationPrompt: Bool) throws -> String {
        try render(messages, addGenerationPrompt: addGenerationPrompt)
    }

    /// Renderers that know no format of their own take Hermes's.
    package var toolCallFormat: ToolCallFormat { .hermes }
}

/// A ChatML renderer (`<|im_start|>role\ncontent<|im_end|>\n`), for models without a template.
package struct ChatMLRenderer: PromptRenderer {
    package init() {}
    package func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String {
        var text = ""
        for message in messages {
            text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" }
        return text
    }
}
