import Foundation
import MinnowTestSupport
import MinnowTokenizer
import MinnowTestTraits
import Testing

/// Token ids from llama.cpp on the real Llama 3.2 vocabulary (pre-tokenizer `llama-bpe`), made by
/// Scripts/make-llama3-vocab.py: the shared corpus plus digit- and whitespace-heavy texts.
///
/// The Qwen2.5 vocabulary with `llama-bpe` swapped in (LlamaCppFixtureTests) cannot show what
/// sets Llama 3 apart: its digit tokens only exist for groups of one to three, and whole
/// pre-tokens found in the vocabulary skip the merges. This vocabulary can.
@Suite(.offPool) struct Llama3VocabularyTests {
    struct Case: Decodable {
        var text: String
        /// Ids with special parsing off.
        var plain: [Int]
        /// Ids with special parsing on.
        var special: [Int]
        /// llama.cpp's rendering of `plain` with special tokens shown.
        var rendered: String
    }

    struct Fixture: Decodable {
        var model: String
        var bos_first_text: [Int]
        var cases: [Case]
    }

    static func fixture() throws -> Fixture {
        let url = TestModels.fixtures.appendingPathComponent("tokenizer/llama3.2-vocab.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    /// The GGUF file is made from a pip package by the script (in CI by `.ci/run`), not committed.
    static let modelName = "Llama-3.2-vocab.gguf"

    @Test func idsEqualLlamaCpp() throws {
        guard TestModels.available(Self.modelName) else { return }
        let fixture = try Self.fixture()
        let corpus = try JSONDecoder().decode(
            [String].self, from: Data(contentsOf: TestModels.fixtures.appendingPathComponent("tokenizer/corpus.json")))
        // The fixture covers every text of the shared corpus, in order, and then more.
        try #require(fixture.cases.count > corpus.count)
        #expect(Array(fixture.cases.prefix(corpus.count).map(\.text)) == corpus)

        let url = try #require(TestModels.url(fixture.model), "missing \(fixture.model); run Scripts/make-llama3-vocab.py")
        let tokenizer = try Tokenizer(contentsOf: url)
        for expected in fixture.cases {
            #expect(tokenizer.encode(expected.text) == expected.plain, "plain: \(expected.text.debugDescription)")
            #expect(
                tokenizer.encode(expected.text, parseSpecial: true) == expected.special,
                "special: \(expected.text.debugDescription)")
        }
        #expect(tokenizer.encode(corpus[0], addSpecial: true) == fixture.bos_first_text)
    }

    @Test func decodeInvertsEncode() throws {
        guard TestModels.available(Self.modelName) else { return }
        let fixture = try Self.fixture()
        let url = try #require(TestModels.url(fixture.model), "missing \(fixture.model); run Scripts/make-llama3-vocab.py")
        let tokenizer = try Tokenizer(contentsOf: url)
        for expected in fixture.cases {
            // Byte comparison: String == treats canonically equivalent texts as equal.
            #expect(Array(expected.rendered.utf8) == Array(expected.text.utf8), "\(expected.text.debugDescription)")
            let decoded = try tokenizer.decode(expected.plain)
            #expect(Array(decoded.utf8) == Array(expected.text.utf8), "\(expected.text.debugDescription)")
        }
    }
}
