/// The plain data a byte-level BPE tokenizer is built from: what a GGUF file stores under
/// `tokenizer.ggml.*`.
///
/// Token texts and merges are in the GPT-2 byte-level alphabet (a space is `Ġ`), exactly as
/// in the file. Build a ``Tokenizer`` from it with ``Tokenizer/init(vocabulary:)``.
public struct Vocabulary: Sendable, Equatable {
    /// The token texts, indexed by id (`tokenizer.ggml.tokens`).
    public var tokens: [String]
    /// The type of each token (`tokenizer.ggml.token_type`); empty means all ``TokenType/normal``.
    public var tokenTypes: [TokenType]
    /// The merges, highest priority first, each `"left right"` (`tokenizer.ggml.merges`).
    public var merges: [String]
    /// The pre-tokenizer name (`tokenizer.ggml.pre`), for example `qwen2` or `llama-bpe`.
    public var preTokenizer: String
    /// The beginning-of-sequence token id.
    public var bosID: Int?
    /// The end-of-sequence token id.
    public var eosID: Int?
    /// The end-of-turn token id.
    public var eotID: Int?
    /// The padding token id.
    public var padID: Int?
    /// Whether encoding with special tokens added puts ``bosID`` first.
    public var addBOS: Bool
    /// Whether encoding with special tokens added puts ``eosID`` last.
    public var addEOS: Bool

    /// A vocabulary from its parts. Special ids default to none and the flags to false.
    public init(
        tokens: [String],
        tokenTypes: [TokenType] = [],
        merges: [String],
        preTokenizer: String,
        bosID: Int? = nil,
        eosID: Int? = nil,
        eotID: Int? = nil,
        padID: Int? = nil,
        addBOS: Bool = false,
        addEOS: Bool = false
    ) {
        self.tokens = tokens
        self.tokenTypes = tokenTypes
        self.merges = merges
        self.preTokenizer = preTokenizer
        self.bosID = bosID
        self.eosID = eosID
        self.eotID = eotID
        self.padID = padID
        self.addBOS = addBOS
        self.addEOS = addEOS
    }
}
