import MinnowTokenizer
import Testing

/// Word splits derived by hand from llama.cpp's regexes for each pre-tokenizer.
@Suite struct PreTokenizerTests {
    @Test func unknownNameIsAnErrorThatNamesIt() throws {
        #expect(throws: TokenizerError.unknownPreTokenizer("klingon-bpe")) {
            try PreTokenizer(name: "klingon-bpe")
        }
        let message = TokenizerError.unknownPreTokenizer("klingon-bpe").description
        #expect(message.contains("'klingon-bpe'"))
    }

    @Test func namesSelectTheRightSplitter() throws {
        #expect(try PreTokenizer(name: "deepseek-r1-qwen") == .qwen2)
        #expect(try PreTokenizer(name: "qwen2") == .qwen2)
        #expect(try PreTokenizer(name: "llama-bpe") == .llama3)
        #expect(try PreTokenizer(name: "smollm") == .smolLM)
        #expect(try PreTokenizer(name: "gpt2") == .gpt2)
        #expect(try PreTokenizer(name: "gpt-2") == .gpt2)
    }

    @Test func gpt2() {
        #expect(PreTokenizer.gpt2.words("Hello world's  123abc!!  \n\nok") == [
            "Hello", " world", "'s", " ", " 123", "abc", "!!", "  \n", "\n", "ok",
        ])
        // Contractions are case-sensitive: the apostrophe stands alone before an upper-case T.
        #expect(PreTokenizer.gpt2.words("DON'T don't") == ["DON", "'", "T", " don", "'t"])
        // Trailing whitespace stays one word.
        #expect(PreTokenizer.gpt2.words("a   ") == ["a", "   "])
    }

    @Test func llama3() {
        #expect(PreTokenizer.llama3.words("Hello world's  1234567 x\r\n\r\n  y") == [
            "Hello", " world", "'s", " ", " ", "123", "456", "7", " x", "\r\n\r\n", " ", " y",
        ])
        #expect(PreTokenizer.llama3.words("DON'T (hello) ((x") == ["DON", "'T", " (", "hello", ")", " ((", "x"])
        #expect(PreTokenizer.llama3.words("a!!\n\nb") == ["a", "!!\n\n", "b"])
    }

    @Test func qwen2SplitsDigitsOneByOne() {
        #expect(PreTokenizer.qwen2.words("x 2024年") == ["x", " ", "2", "0", "2", "4", "年"])
        #expect(PreTokenizer.qwen2.words("Grüße, 世界!") == ["Grüße", ",", " 世界", "!"])
    }

    @Test func smolLMIsolatesEveryNumberScalar() {
        #expect(PreTokenizer.smolLM.words("a 12b") == ["a", " ", "1", "2", "b"])
        #expect(PreTokenizer.smolLM.words("x²+½") == ["x", "²", "+", "½"])
    }

    @Test func unicodeClasses() {
        // U+00A0 and U+3000 are whitespace; a combining mark is neither letter, number nor
        // whitespace, so it stands apart from the letters around it.
        #expect(PreTokenizer.qwen2.words("a\u{00A0}b\u{3000}c") == ["a", "\u{00A0}b", "\u{3000}c"])
        #expect(PreTokenizer.gpt2.words("e\u{0301}x") == ["e", "\u{0301}", "x"])
    }
}
