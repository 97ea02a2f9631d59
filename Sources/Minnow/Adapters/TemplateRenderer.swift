import MinnowGGUF
import MinnowTemplate

/// The model's own chat template (`tokenizer.chat_template`, run by `MinnowTemplate`) behind the
/// ``PromptRenderer`` seam.
///
/// A model without a template gets ChatML. A template that does not parse fails when a chat
/// renders, not at load, so that raw completion still works.
///
/// Tools go to the template as its `tools` variable. A template that ignores that variable (the
/// R1 distills' do; so does ChatML) gets them in a section of the system message instead, written
/// by ``ToolCallFormat``: the tools as JSON and the exact call format. Whether a template shows
/// tools is found once, by rendering a probe conversation with and without a tool.
package struct TemplateRenderer: PromptRenderer {
    private let template: Result<ChatTemplate, ChatTemplateLoadError>
    /// How the template writes tool calls.
    package let toolCallFormat: ToolCallFormat
    /// Whether the template renders its `tools` variable.
    let showsTools: Bool

    /// The template stored in `file`'s metadata.
    package init(file: GGUFFile) {
        do {
            self.init(template: .success(try ChatTemplate(gguf: file)))
        } catch {
            self.init(template: .failure(error))
        }
    }

    /// A template from its Jinja source, seeing `file`'s BOS and EOS token texts.
    package init(source: String, tokenTextsFrom file: GGUFFile) {
        let (bos, eos) = ChatTemplate.specialTokenTexts(metadata: file.metadata)
        do {
            self.init(template: .success(try ChatTemplate(source: source, bosToken: bos, eosToken: eos)))
        } catch {
            self.init(template: .failure(.invalidTemplate(error)))
        }
    }

    private init(template: Result<ChatTemplate, ChatTemplateLoadError>) {
        self.template = template
        switch template {
        case .success(let chat):
            toolCallFormat = ToolCallFormat(templateSource: chat.source)
            showsTools = Self.showsTools(chat)
        case .failure:
            toolCallFormat = .hermes
            showsTools = false
        }
    }

    package func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String {
        try render(messages, tools: [], addGenerationPrompt: addGenerationPrompt)
    }

    package func render(_ messages: [ChatMessage], tools: [ToolDefinition], addGenerationPrompt: Bool) throws -> String {
        let messages = tools.isEmpty || showsTools ? messages : withToolsSection(messages, tools: tools)
        switch template {
        case .success(let template):
            do {
                return try template.render(
                    messageValues: messages.map { Self.templateValue($0, format: toolCallFormat) },
                    addGenerationPrompt: addGenerationPrompt, tools: tools.isEmpty ? nil : tools.map(\.templateValue))
            } catch {
                throw ChatSessionError.templateFailed(error.description)
            }
        case .failure(.noChatTemplate):
            return try ChatMLRenderer().render(messages, addGenerationPrompt: addGenerationPrompt)
        case .failure(let error):
            throw ChatSessionError.templateFailed(error.description)
        }
    }

    /// `messages` with the tools' section (``ToolCallFormat/toolsSection(for:)``) at the end of
    /// the system message, which is added when there is none.
    private func withToolsSection(_ messages: [ChatMessage], tools: [ToolDefinition]) -> [ChatMessage] {
        let section = toolCallFormat.toolsSection(for: tools)
        var messages = messages
        if let first = messages.first, first.role == .system {
            messages[0].content = first.content.isEmpty ? section : first.content + "\n\n" + section
        } else {
            messages.insert(.system(section), at: 0)
        }
        return messages
    }

    /// Whether `template` renders a conversation differently with a tool than without: whether
    /// it shows its `tools` variable. A template that fails either way is taken to show them.
    private static func showsTools(_ template: ChatTemplate) -> Bool {
        let probe: TemplateValue = [
            "type": "function",
            "function": ["name": "minnow_probe", "description": "probe", "parameters": ["type": "object"]],
        ]
        let messages = [templateValue(.user("Hi"), format: .hermes)]
        guard let with = try? template.render(messageValues: messages, tools: [probe]),
              let without = try? template.render(messageValues: messages, tools: nil)
        else { return true }
        return with != without
    }

    /// A message as templates see it: `{"role", "content"}`, and for an assistant message with
    /// tool calls, `tool_calls` in OpenAI's shape (`{"type": "function", "function": {"name",
    /// "arguments"}}`). In the Hermes format the arguments are an object. The DeepSeek-R1
    /// template concatenates them as text and renders the calls only when `content` is none
    /// (otherwise it shows the text and drops the calls): there the arguments are JSON text and
    /// a message with calls has a null `content` (any text of it is not shown).
    static func templateValue(_ message: ChatMessage, format: ToolCallFormat) -> TemplateValue {
        var map = OrderedMap<TemplateValue>([("role", .string(message.role.rawValue)), ("content", .string(message.content))])
        if !message.toolCalls.isEmpty {
            if format == .deepSeekR1 { map["content"] = .null }
            map["tool_calls"] = .array(message.toolCalls.map { call -> TemplateValue in
                let arguments: TemplateValue = format == .deepSeekR1
                    ? .string(call.arguments)
                    : (try? TemplateValue(json: call.arguments)) ?? .object(OrderedMap())
                return ["type": "function", "function": ["name": .string(call.name), "arguments": arguments]]
            })
        }
        return .object(map)
    }
}
