import MinnowGGUF

/// The model's chat template behind the ``PromptRenderer`` seam.
///
/// PROVISIONAL: uses ChatML until `MinnowTemplate` lands.
struct TemplateRenderer: PromptRenderer {
    init(file: GGUFFile, codec: TokenizerCodec) throws {}
    func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String {
        try ChatMLRenderer().render(messages, addGenerationPrompt: addGenerationPrompt)
    }
}
