/// A byte-level BPE tokenizer that gives the same token ids as llama.cpp.
///
/// Build it from a ``Vocabulary`` or a GGUF file (``init(gguf:)``). Encoding cuts special
/// tokens out of the text, splits the rest into words with the vocabulary's ``PreTokenizer``,
/// and merges each word's bytes with the BPE ranks. Decoding maps ids back to bytes.
/// The value is immutable and safe to share between tasks.
public struct Tokenizer: Sendable {
    let tables: TokenizerTables
    /// The pre-tokenizer selected by the vocabulary.
    public let preTokenizer: PreTokenizer
    /// The beginning-of-sequence token, if the vocabulary has one.
    public let bosID: Int?
    /// The end-of-sequence token, if the vocabulary has one.
    public let eosID: Int?
    /// The end-of-turn token: the vocabulary's, or one recognized by its text as llama.cpp does
    /// (`<|im_end|>`, `<|eot_id|>`, ...).
    public let eotID: Int?
    /// The padding token, if the vocabulary has one.
    public let padID: Int?
    /// Whether ``encode(_:addSpecial:parseSpecial:)`` with `addSpecial` puts BOS first.
    public let addsBOS: Bool
    /// Whether ``encode(_:addSpecial:parseSpecial:)`` with `addSpecial` puts EOS last.
    public let addsEOS: Bool

    /// Builds a tokenizer from plain vocabulary data.
    /// - Throws: ``TokenizerError`` for an unknown pre-tokenizer or inconsistent arrays.
    public init(vocabulary: Vocabulary) throws(TokenizerError) {
        var tokens = vocabulary.tokens
        var merges = vocabulary.merges
        let tables = try TokenizerTables(
            count: tokens.count,
            types: vocabulary.tokenTypes,
            forEachToken: { body in
                for index in tokens.indices {
                    tokens[index].withUTF8 { body(index, UnsafeRawBufferPointer($0)) }
                }
            },
            mergeCount: merges.count,
            forEachMerge: { body in
                for index in merges.indices {
                    merges[index].withUTF8 { body(index, UnsafeRawBufferPointer($0)) }
                }
            },
            eosID: Self.validID(vocabulary.eosID, count: tokens.count),
            eotID: Self.validID(vocabulary.eotID, count: tokens.count))
        try self.init(
            tables: tables, preTokenizer: PreTokenizer(name: vocabulary.preTokenizer),
            bosID: vocabulary.bosID, eosID: vocabulary.eosID, eotID: vocabulary.eotID, padID: vocabulary.padID,
            addsBOS: vocabulary.addBOS, addsEOS: vocabulary.addEOS)
    }

    init(
        tables: TokenizerTables, preTokenizer: PreTokenizer,
        bosID: Int?, eosID: Int?, eotID: Int?, padID: Int?, addsBOS: Bool, addsEOS: Bool
    ) throws(TokenizerError) {
        self.tables = tables
        self.preTokenizer = preTokenizer
        for id in [bosID, eosID, eotID, padID].compactMap({ $0 }) where !(0..<tables.count).contains(id) {
            throw .invalidTokenID(id)
        }
        self.bosID = bosID
        self.eosID = eosID
        self.eotID = eotID ?? tables.endOfTurnID.map(Int.init)
        self.padID = padID
        self.addsBOS = addsBOS
        self.addsEOS = addsEOS
    }

    static func validID(_ id: Int?, count: Int) -> Int32? {
        guard let id, (0..<count).contains(id) else { return nil }
        return Int32(id)
    }

    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int { tables.count }

    /// The tokens that end generation (EOS, end-of-turn and the others llama.cpp recognizes).
    public var endOfGenerationIDs: Set<Int> { Set(tables.endOfGeneration.map(Int.init)) }

    /// Whether `id` ends generation.
    public func isEndOfGeneration(_ id: Int) -> Bool {
        guard let narrow = Int32(exactly: id) else { return false }
        return tables.endOfGeneration.contains(narrow)
    }

    /// The type of token `id`, or nil if out of range.
    public func tokenType(_ id: Int) -> TokenType? {
        tables.types.indices.contains(id) ? tables.types[id] : nil
    }

    /// The text of token `id` as stored in the vocabulary (byte-level alphabet for normal tokens).
    public func storedText(_ id: Int) throws(TokenizerError) -> String {
        guard (0..<tables.count).contains(id) else { throw .invalidTokenID(id) }
        return String(decoding: tables.rawArena[tables.rawRange(id)], as: UTF8.self)
    }

    /// The id of the token whose stored text is `text`, if any (for example `"<|im_start|>"`).
    public func tokenID(forStoredText text: String) -> Int? {
        // Normal tokens are keyed by their decoded bytes; special tokens by their stored text.
        for id in tables.specialWhenParsing where storedTextEquals(Int(id), text) { return Int(id) }
        var text = text
        let id: Int32 = text.withUTF8 { utf8 in
            var written = -1
            let bytes = [UInt8](unsafeUninitializedCapacity: max(utf8.count, 1)) { buffer, initialized in
                guard let base = buffer.baseAddress else { return }
                written = ByteLevelAlphabet.decode(UnsafeRawBufferPointer(utf8), into: base)
                initialized = max(0, written)
            }
            guard written >= 0 else { return -1 }
            return bytes.withUnsafeBytes { tables.tokenID(decodedBytes: $0) }
        }
        return id >= 0 ? Int(id) : nil
    }

    private func storedTextEquals(_ id: Int, _ text: String) -> Bool {
        tables.rawArena[tables.rawRange(id)].elementsEqual(text.utf8)
    }
}
