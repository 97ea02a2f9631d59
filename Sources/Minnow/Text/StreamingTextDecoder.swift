/// Turns token bytes into text piece by piece, never splitting a UTF-8 character: bytes of a
/// character that is not complete yet are held until the next token completes it.
package struct StreamingTextDecoder {
    package init() {}

    private var pending: [UInt8] = []

    /// Adds the bytes of one token and returns the text that is now complete (possibly empty).
    package mutating func append(_ bytes: [UInt8]) -> String {
        pending.append(contentsOf: bytes)
        let complete = Self.completePrefixLength(pending)
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[0..<complete], as: UTF8.self)
        pending.removeSubrange(0..<complete)
        return text
    }

    /// Returns whatever is held, with incomplete characters replaced by U+FFFD.
    package mutating func flush() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix of `bytes` that does not end inside a character that
    /// may still be completed. Invalid bytes count as complete (they decode to U+FFFD).
    package static func completePrefixLength(_ bytes: [UInt8]) -> Int {
        let count = bytes.count
        // Look back at most 3 bytes for the lead byte of the last character.
        var index = count - 1
        var continuationBytes = 0
        while index >= 0 && continuationBytes < 3 && bytes[index] & 0xC0 == 0x80 {
            continuationBytes += 1
            index -= 1
        }
        guard index >= 0 else { return count }
        let lead = bytes[index]
        let expected: Int
        switch lead {
        case 0xC2...0xDF: expected = 2
        case 0xE0...0xEF: expected = 3
        case 0xF0...0xF4: expected = 4
        default: return count  // ASCII, a stray continuation run, or an invalid lead byte
        }
        return continuationBytes + 1 < expected ? index : count
    }
}
