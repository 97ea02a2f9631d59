/// Turns tokens into text one at a time, as they are generated, without ever emitting part of
/// a UTF-8 character: bytes of a character split across tokens (emoji, CJK) are held back
/// until the character is complete.
///
/// ```swift
/// var stream = StreamingDetokenizer(tokenizer: tokenizer)
/// for id in generated { print(try stream.append(id), terminator: "") }
/// print(stream.finish())
/// ```
public struct StreamingDetokenizer: Sendable {
    /// The tokenizer whose ids are decoded.
    public let tokenizer: Tokenizer
    /// Whether control tokens are rendered as their text (llama.cpp's `special`).
    public let renderSpecial: Bool
    private var pending: [UInt8] = []

    /// A detokenizer for `tokenizer`'s ids.
    public init(tokenizer: Tokenizer, renderSpecial: Bool = true) {
        self.tokenizer = tokenizer
        self.renderSpecial = renderSpecial
    }

    /// Adds a token and returns the text that is now complete (possibly empty).
    /// - Throws: ``TokenizerError/invalidTokenID(_:)`` for an id outside the vocabulary.
    public mutating func append(_ id: Int) throws(TokenizerError) -> String {
        pending.append(contentsOf: try tokenizer.pieceBytes(id, renderSpecial: renderSpecial))
        let cut = Self.completePrefixLength(pending)
        if cut == 0 { return "" }
        let text = String(decoding: pending[..<cut], as: UTF8.self)
        pending.removeFirst(cut)
        return text
    }

    /// Returns what is still held back, with an incomplete character as U+FFFD, and resets.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Whether bytes of an incomplete character are held back.
    public var hasPendingBytes: Bool { !pending.isEmpty }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 character
    /// that later bytes could still complete.
    static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        var index = count - 1
        var continuation = 0
        // Walk back over at most three continuation bytes to the lead byte.
        while index >= 0 && continuation < 3 && bytes[index] & 0xC0 == 0x80 {
            index -= 1
            continuation += 1
        }
        guard index >= 0 else { return count }
        let lead = bytes[index]
        let expected: Int
        switch lead {
        case 0xC2...0xDF: expected = 2
        case 0xE0...0xEF: expected = 3
        case 0xF0...0xF4: expected = 4
        default: return count  // ASCII, or a byte that starts no character: nothing to wait for.
        }
        return continuation + 1 < expected ? index : count
    }
}
