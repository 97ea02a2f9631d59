import MinnowTokenizer
import Testing

/// BPE, special tokens and decoding on ``SyntheticVocabulary``, where every expected id can be
/// worked out by hand.
@Suite struct SyntheticTokenizerTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(vocabulary: SyntheticVocabulary.vocabulary())
    }

    private func id(_ text: String) -> Int { SyntheticVocabulary.id(text) }

    @Test func mergesInRankOrder() {
        #expect(tokenizer.encode("hello world") == [id("hello"), id("Ġworld")])
        // h+e first, then l+l, then he+ll, leaving "hell" + "x".
        #expect(tokenizer.encode("hellx") == [id("hell"), id("x")])
    }

    @Test func equalRanksMergeLeftmostFirst() {
        // "aaa": the pair (a, a) occurs twice; the left one merges, leaving "aa" + "a".
        #expect(tokenizer.encode("aaa") == [id("aa"), id("a")])
        // A word longer than the quadratic-scan limit takes the heap path; same rule.
        let long = String(repeating: "a", count: 41)
        #expect(tokenizer.encode(long) == Array(repeating: id("aa"), count: 20) + [id("a")])
    }

    @Test func specialTokens() {
        let text = "<|im_start|>hello<think>"
        // Control tokens only with parsing on; user-defined ones always.
        #expect(tokenizer.encode(text, parseSpecial: true) == [id("<|im_start|>"), id("hello"), id("<think>")])
        let plain = tokenizer.encode(text)
        #expect(plain.last == id("<think>"))
        #expect(!plain.contains(id("<|im_start|>")))
        #expect(tokenizer.encode("hello", addSpecial: true) == [258, id("hello")])
    }

    @Test func decoding() throws {
        let ids = tokenizer.encode("<|im_start|>hello world<think>", parseSpecial: true)
        #expect(try tokenizer.decode(ids) == "<|im_start|>hello world<think>")
        // Control tokens are hidden without renderSpecial; user-defined ones are not.
        #expect(try tokenizer.decode(ids, renderSpecial: false) == "hello world<think>")
        #expect(throws: TokenizerError.invalidTokenID(99_999)) { try tokenizer.decode([99_999]) }
        #expect(throws: TokenizerError.invalidTokenID(-1)) { try tokenizer.decode([-1]) }
    }

    @Test func roundTripOfArbitraryBytes() throws {
        let text = "Grüße 🇩🇪 \u{0000}\t\r\n 世界 \u{FEFF}"
        #expect(Array(try tokenizer.decode(tokenizer.encode(text)).utf8) == Array(text.utf8))
    }

    @Test func inconsistentVocabularyIsAnError() {
        var vocabulary = SyntheticVocabulary.vocabulary()
        vocabulary.tokenTypes.removeLast()
        #expect(throws: TokenizerError.self) { try Tokenizer(vocabulary: vocabulary) }
        vocabulary = SyntheticVocabulary.vocabulary(pre: "nope")
        #expect(throws: TokenizerError.unknownPreTokenizer("nope")) { try Tokenizer(vocabulary: vocabulary) }
    }
}

/// Bytes without a token are dropped, as llama.cpp drops them (SmolLM2 has no token for some
/// control bytes).
@Suite struct MissingByteTokenTests {
    @Test func bytesWithoutATokenAreDropped() throws {
        var vocabulary = SyntheticVocabulary.vocabulary()
        // Give the tokens of bytes 0x06 and 0x1D texts outside the byte-level alphabet.
        vocabulary.tokens[0x06] = "<unused-06>"
        vocabulary.tokens[0x1D] = "<unused-1d>"
        let tokenizer = try Tokenizer(vocabulary: vocabulary)
        #expect(tokenizer.encode("a\u{1D}\u{06}b") == [SyntheticVocabulary.id("a"), SyntheticVocabulary.id("b")])
    }
}
