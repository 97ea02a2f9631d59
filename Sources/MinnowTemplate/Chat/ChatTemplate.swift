import Foundation

/// A model's chat template (`tokenizer.chat_template`), ready to turn a conversation into a prompt.
///
/// Rendering passes the same variables as Hugging Face's `apply_chat_template`:
/// `messages`, `tools` (None unless given), `documents` (None), `add_generation_prompt`,
/// `bos_token` and `eos_token`, plus any extra context.
public struct ChatTemplate: Sendable {
    /// The parsed template.
    public let template: JinjaTemplate
    /// The text of the model's beginning-of-sequence token, bound to `bos_token`.
    public let bosToken: String
    /// The text of the model's end-of-sequence token, bound to `eos_token`.
    public let eosToken: String

    /// Parses `source`; throws a ``TemplateError`` (kind `.syntax`, with its line) when it is invalid.
    public init(source: String, bosToken: String = "", eosToken: String = "") throws(TemplateError) {
        template = try JinjaTemplate(source)
        self.bosToken = bosToken
        self.eosToken = eosToken
    }

    /// The template source.
    public var source: String { template.source }

    /// Renders a conversation of plain messages.
    ///
    /// - Parameters:
    ///   - messages: The conversation so far.
    ///   - addGenerationPrompt: Whether to end with the header that opens the assistant's reply.
    ///   - tools: Tool (function) descriptions, bound to `tools`; nil binds None.
    ///   - context: Extra template variables (for example `date_string`); they override the defaults.
    ///   - now: The time `strftime_now` reports.
    ///   - limits: The sandbox's bounds on work and memory (the defaults suit any real template).
    public func render(
        messages: [Message], addGenerationPrompt: Bool = true, tools: [TemplateValue]? = nil,
        context: [String: TemplateValue] = [:], now: Date = Date(), limits: RenderLimits = RenderLimits()
    ) throws(TemplateError) -> String {
        try render(messageValues: messages.map(\.templateValue), addGenerationPrompt: addGenerationPrompt,
                   tools: tools, context: context, now: now, limits: limits)
    }

    /// Renders a conversation whose messages are arbitrary objects (for example assistant
    /// messages with `tool_calls` and a null `content`); the parameters are those of
    /// ``render(messages:addGenerationPrompt:tools:context:now:limits:)``.
    public func render(
        messageValues: [TemplateValue], addGenerationPrompt: Bool = true, tools: [TemplateValue]? = nil,
        context: [String: TemplateValue] = [:], now: Date = Date(), limits: RenderLimits = RenderLimits()
    ) throws(TemplateError) -> String {
        var variables: [String: TemplateValue] = [
            "messages": .array(messageValues),
            "tools": tools.map { .array($0) } ?? .null,
            "documents": .null,
            "add_generation_prompt": .bool(addGenerationPrompt),
            "bos_token": .string(bosToken),
            "eos_token": .string(eosToken),
        ]
        for (key, value) in context { variables[key] = value }
        return try template.render(variables, now: now, limits: limits)
    }
}
