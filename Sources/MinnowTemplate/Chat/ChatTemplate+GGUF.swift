import MinnowGGUF

/// Why a chat template could not be read from a model file.
public enum ChatTemplateLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file has no `tokenizer.chat_template` metadata.
    case noChatTemplate
    /// The template is there but does not parse.
    case invalidTemplate(TemplateError)

    /// A one-line description.
    public var description: String {
        switch self {
        case .noChatTemplate: return "the model has no chat template (tokenizer.chat_template)"
        case .invalidTemplate(let error): return "the model's chat template is invalid: \(error)"
        }
    }
}

extension ChatTemplate {
    /// Reads the chat template of a GGUF model: `tokenizer.chat_template`, with the texts of
    /// the tokens `tokenizer.ggml.bos_token_id` and `eos_token_id` as `bos_token`/`eos_token`
    /// (empty when the model does not name them).
    public init(metadata: GGUFMetadata) throws(ChatTemplateLoadError) {
        guard let source = metadata.string("tokenizer.chat_template") else { throw .noChatTemplate }
        let (bos, eos) = Self.specialTokenTexts(metadata: metadata)
        do {
            try self.init(source: source, bosToken: bos, eosToken: eos)
        } catch {
            throw .invalidTemplate(error)
        }
    }

    /// The texts of the tokens `tokenizer.ggml.bos_token_id` and `eos_token_id` (empty when the
    /// model does not name them): what a template sees as `bos_token` and `eos_token`.
    public static func specialTokenTexts(metadata: GGUFMetadata) -> (bos: String, eos: String) {
        let bosID = metadata.int("tokenizer.ggml.bos_token_id")
        let eosID = metadata.int("tokenizer.ggml.eos_token_id")
        var bos = ""
        var eos = ""
        if bosID != nil || eosID != nil, let tokens = metadata.array("tokenizer.ggml.tokens") {
            tokens.forEachStringBytes { index, bytes in
                if index == bosID { bos = String(decoding: bytes, as: UTF8.self) }
                if index == eosID { eos = String(decoding: bytes, as: UTF8.self) }
            }
        }
        return (bos, eos)
    }

    /// Reads the chat template of an open GGUF file; see ``init(metadata:)``.
    public init(gguf file: GGUFFile) throws(ChatTemplateLoadError) {
        try self.init(metadata: file.metadata)
    }
}
