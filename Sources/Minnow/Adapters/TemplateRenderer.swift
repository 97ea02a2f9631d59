import MinnowGGUF
import MinnowTemplate

/// The model's own chat template (`tokenizer.chat_template`, run by `MinnowTemplate`) behind the
/// ``PromptRenderer`` seam.
///
/// A model without a template gets ChatML. A template that does not parse fails when a chat
/// renders, not at load, so that raw completion still works.
package struct TemplateRenderer: PromptRenderer {
    private let template: Result<ChatTemplate, ChatTemplateLoadError>

    /// The template stored in `file`'s metadata.
    package init(file: GGUFFile) {
        do {
            template = .success(try ChatTemplate(gguf: file))
        } catch {
            template = .failure(error)
        }
    }

    /// A template from its Jinja source, seeing `file`'s BOS and EOS token texts.
    package init(source: String, tokenTextsFrom file: GGUFFile) {
        let (bos, eos) = ChatTemplate.specialTokenTexts(metadata: file.metadata)
        do {
            template = .success(try ChatTemplate(source: source, bosToken: bos, eosToken: eos))
        } catch {
            template = .failure(.invalidTemplate(error))
        }
    }

    package func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String {
        switch template {
        case .success(let template):
            let plain = messages.map { ChatTemplate.Message(role: $0.role.rawValue, content: $0.content) }
            do {
                return try template.render(messages: plain, addGenerationPrompt: addGenerationPrompt)
            } catch {
                throw ChatSessionError.templateFailed(error.description)
            }
        case .failure(.noChatTemplate):
            return try ChatMLRenderer().render(messages, addGenerationPrompt: addGenerationPrompt)
        case .failure(let error):
            throw ChatSessionError.templateFailed(error.description)
        }
    }
}
