/// The seam between the public API and a chat template: messages to prompt text.
package protocol PromptRenderer: Sendable {
    /// The prompt text for `messages` (roles and contents), ending with the assistant's header
    /// when `addGenerationPrompt` is true.
    func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String
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
