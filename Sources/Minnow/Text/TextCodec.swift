/// The seam between the public API and a tokenizer: text to token ids and token ids to bytes.
///
/// The real implementation wraps `MinnowTokenizer`; tests use a scripted one.
package protocol TextCodec: Sendable {
    /// The token ids of `text`, without BOS. With `parseSpecialTokens`, special-token strings in
    /// the text (`<|im_start|>`, `<think>`) become their single ids.
    func encode(_ text: String, parseSpecialTokens: Bool) throws -> [Int32]
    /// The BOS id to put before a prompt, or nil when the model adds none.
    var beginningOfSequence: Int32? { get }
    /// The bytes a token stands for in generated text (empty for control tokens that print as
    /// nothing).
    func bytes(of token: Int32) -> [UInt8]
    /// Whether `token` ends a generation (EOS, EOT, `<|im_end|>`, …).
    func isEndOfGeneration(_ token: Int32) -> Bool
    /// Whether `token` is a special token (a control token such as `<|im_start|>`, or an added one
    /// such as `<tool_call>`) rather than a piece of ordinary text.
    func isSpecial(_ token: Int32) -> Bool
    /// The vocabulary as a byte trie for constrained generation (built once and cached by the
    /// real tokenizer).
    func tokenTrie(vocabularySize: Int) -> TokenTrie
}

extension TextCodec {
    /// No special tokens beyond the end-of-generation ones, by default.
    package func isSpecial(_ token: Int32) -> Bool { isEndOfGeneration(token) }

    /// A new trie of the first `vocabularySize` tokens.
    package func tokenTrie(vocabularySize: Int) -> TokenTrie {
        TokenTrie(vocabularySize: vocabularySize, bytes: { bytes(of: $0) }, isEndOfGeneration: { isEndOfGeneration($0) })
    }

    /// The ids of a whole prompt: BOS (unless the rendered text already begins with it) and the
    /// text with special tokens parsed.
    func encodePrompt(_ text: String) throws -> [Int32] {
        let ids = try encode(text, parseSpecialTokens: true)
        guard let bos = beginningOfSequence else { return ids }
        if ids.first == bos { return ids }
        return [bos] + ids
    }
}
