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
        try render(messages, tools: [], addGenerationPrompt: addGenerationPrompt)
    }

    package func render(_ messages: [ChatMessage], tools: [ToolDefinition], addGenerationPrompt: Bool) throws -> String {
        switch template {
        case .success(let template):
            do {
                return try template.render(
                    messageValues: messages.map(Self.templateValue), addGenerationPrompt: addGenerationPrompt,
                    tools: tools.isEmpty ? nil : tools.map(\.templateValue))
            } catch {
                throw ChatSessionError.templateFailed(error.description)
            }
        case .failure(.noChatTemplate):
            return try ChatMLRenderer().render(messages, addGenerationPrompt: addGenerationPrompt)
        case .failure(let error):
            throw ChatSessionError.templateFailed(error.description)
        }
    }

    /// A message as templates see it: `{"role", "content"}`, and for an assistant message with
    /// tool calls, `tool_calls` in OpenAI's shape with the arguments as an object.
    static func templateValue(_ message: ChatMessage) -> TemplateValue {
        var map = OrderedMap<TemplateValue>([("role", .string(message.role.rawValue)), ("content", .string(message.content))])
        if !message.toolCalls.isEmpty {
            map["tool_calls"] = .array(message.toolCalls.map { call -> TemplateValue in
                let arguments = (try? TemplateValue(json: call.arguments)) ?? .object(OrderedMap())
                return ["type": "function", "function": ["name": .string(call.name), "arguments": arguments]]
            })
        }
        return .object(map)
    }
}
