/// The type of a vocabulary entry, as stored in `tokenizer.ggml.token_type`.
///
/// The raw values are those of llama.cpp's `llama_token_type`.
public enum TokenType: Int32, Sendable, CaseIterable {
    /// No type recorded.
    case undefined = 0
    /// An ordinary BPE token, stored in the byte-level alphabet.
    case normal = 1
    /// The unknown token.
    case unknown = 2
    /// A control token such as `<|im_start|>`: matched in text only when special parsing is on.
    case control = 3
    /// An added token such as `<think>`: always matched in text, before BPE.
    case userDefined = 4
    /// A reserved, unused entry.
    case unused = 5
    /// A raw byte token (SentencePiece vocabularies).
    case byte = 6

    /// The type for a raw GGUF value; unrecognized values become ``undefined`` as in llama.cpp.
    public init(gguf value: Int32) {
        self = TokenType(rawValue: value) ?? .undefined
    }

    /// Whether text that spells this token is split out before BPE when special parsing is off.
    var isAlwaysMatched: Bool { self == .userDefined }

    /// Whether text that spells this token is split out before BPE when special parsing is on.
    var isMatchedWhenParsingSpecial: Bool { self == .control || self == .userDefined || self == .unknown }

    /// Whether the token decodes to its text only when special tokens are rendered.
    var isHiddenUnlessSpecial: Bool { self == .control || self == .unknown }
}
