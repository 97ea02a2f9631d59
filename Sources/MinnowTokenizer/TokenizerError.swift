/// Errors thrown while building a tokenizer or decoding token ids.
public enum TokenizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `tokenizer.ggml.model` names a tokenizer other than byte-level BPE (`gpt2`).
    case unsupportedModel(String)
    /// `tokenizer.ggml.pre` names a pre-tokenizer that Minnow does not implement.
    case unknownPreTokenizer(String)
    /// A required metadata key is missing or has the wrong type.
    case missingMetadata(String)
    /// The vocabulary's arrays disagree (for example, token types of another length).
    case inconsistentVocabulary(String)
    /// A token id outside `0..<vocabularySize`.
    case invalidTokenID(Int)
    /// The model file could not be opened or parsed.
    case unreadableFile(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unsupportedModel(let name):
            return "unsupported tokenizer model '\(name)': only byte-level BPE ('gpt2') is implemented"
        case .unknownPreTokenizer(let name):
            return "unknown pre-tokenizer '\(name)' (tokenizer.ggml.pre); supported: "
                + PreTokenizer.supportedNames.joined(separator: ", ")
        case .missingMetadata(let key):
            return "missing or mistyped tokenizer metadata '\(key)'"
        case .inconsistentVocabulary(let detail):
            return "inconsistent vocabulary: \(detail)"
        case .invalidTokenID(let id):
            return "token id \(id) is outside the vocabulary"
        case .unreadableFile(let detail):
            return "cannot read model file: \(detail)"
        }
    }
}
