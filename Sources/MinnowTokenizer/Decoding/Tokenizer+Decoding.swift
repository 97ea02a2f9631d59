extension Tokenizer {
    /// The bytes token `id` stands for, as llama.cpp's `token_to_piece` gives them.
    ///
    /// Normal tokens give the bytes they encode. User-defined tokens give their text. Control
    /// and unknown tokens give their text when `renderSpecial` is true, and nothing otherwise
    /// (llama.cpp's `special` flag). Other types give nothing.
    /// - Throws: ``TokenizerError/invalidTokenID(_:)`` for an id outside the vocabulary.
    public func pieceBytes(_ id: Int, renderSpecial: Bool = true) throws(TokenizerError) -> ArraySlice<UInt8> {
        guard (0..<tables.count).contains(id) else { throw .invalidTokenID(id) }
        switch tables.types[id] {
        case .normal:
            return tables.decodedArena[tables.decodedRange(id)]
        case .userDefined:
            return tables.rawArena[tables.rawRange(id)]
        case .control, .unknown:
            return renderSpecial ? tables.rawArena[tables.rawRange(id)] : []
        case .undefined, .unused, .byte:
            return []
        }
    }

    /// The bytes of a sequence of tokens, concatenated.
    /// - Throws: ``TokenizerError/invalidTokenID(_:)`` for an id outside the vocabulary.
    public func decodeBytes(_ ids: some Sequence<Int>, renderSpecial: Bool = true) throws(TokenizerError) -> [UInt8] {
        var bytes: [UInt8] = []
        for id in ids { bytes.append(contentsOf: try pieceBytes(id, renderSpecial: renderSpecial)) }
        return bytes
    }

    /// The text of a sequence of tokens. Bytes that do not form valid UTF-8 become U+FFFD.
    /// - Throws: ``TokenizerError/invalidTokenID(_:)`` for an id outside the vocabulary.
    public func decode(_ ids: some Sequence<Int>, renderSpecial: Bool = true) throws(TokenizerError) -> String {
        String(decoding: try decodeBytes(ids, renderSpecial: renderSpecial), as: UTF8.self)
    }
}
