import MinnowGGUF
import MinnowTemplate

/// The model's chat template behind the ``PromptRenderer`` seam.
///
/// Uses the GGUF's `tokenizer.chat_template` (with its bos/eos token texts); a model without
/// one falls back to ChatML. A template that does not parse fails at render time, not at load,
/// so that raw completion still works.
struct TemplateRenderer: PromptRenderer {
    private let template: Result<ChatTemplate, ChatTemplateLoadError>

    init(file: GGUFFile, codec: TokenizerCodec) throws {
        do {
            template = .success(try ChatTemplate(gguf: file))
        } catch {
            template = .failure(error)
        }
    }

    func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String {
        switch template {
        case .success(let template):
            return try template.render(
                messages: messages.map { ChatTemplate.Message(role: $0.role.rawValue, content: $0.content) },
                addGenerationPrompt: addGenerationPrompt)
        case .failure(.noChatTemplate):
            return try ChatMLRenderer().render(messages, addGenerationPrompt: addGenerationPrompt)
        case .failure(let error):
            throw error
        }
    }
}
