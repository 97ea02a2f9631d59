import MinnowTokenizer

/// A small vocabulary for tests that need no model file: the 256 byte tokens in byte order,
/// then the merges below, then `<|im_start|>` (control) and `<think>` (user-defined).
enum SyntheticVocabulary {
    /// GPT-2's spelling of each byte.
    static let byteSpellings: [String] = {
        var spellings: [String] = []
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            var value = UInt32(byte)
            if !printable {
                value = next
                next += 1
            }
            spellings.append(String(Character(Unicode.Scalar(value) ?? "?")))
        }
        return spellings
    }()

    /// The merges, best first. `Ġ` spells a space.
    static let merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "o r", "Ġw or", "Ġwor l", "Ġworl d", "a a"]

    /// The vocabulary, with the given pre-tokenizer name.
    static func vocabulary(pre: String = "qwen2") -> Vocabulary {
        var tokens = byteSpellings
        var types = [TokenType](repeating: .normal, count: tokens.count)
        for merge in merges {
            tokens.append(merge.replacingOccurrences(of: " ", with: ""))
            types.append(.normal)
        }
        tokens += ["<|im_start|>", "<think>"]
        types += [.control, .userDefined]
        return Vocabulary(tokens: tokens, tokenTypes: types, merges: merges, preTokenizer: pre, bosID: 258, addBOS: true)
    }

    /// The id of `text` in ``vocabulary(pre:)``.
    static func id(_ text: String) -> Int {
        if let index = byteSpellings.firstIndex(of: text) { return index }
        if let index = merges.map({ $0.replacingOccurrences(of: " ", with: "") }).firstIndex(of: text) {
            return 256 + index
        }
        return text == "<|im_start|>" ? 256 + merges.count : 256 + merges.count + 1
    }
}
