import Foundation
import MinnowTestSupport
import MinnowTokenizer
import Testing

/// Token ids from llama.cpp (Scripts/make-tokenizer-fixtures.py) for the corpus in
/// Tests/Fixtures/tokenizer, on the three vocabularies, with and without special parsing.
@Suite struct LlamaCppFixtureTests {
    struct Case: Decodable {
        /// Ids with special parsing off.
        var plain: [Int]
        /// Ids with special parsing on.
        var special: [Int]
        /// llama.cpp's rendering of `special` with control tokens hidden.
        var hidden: String
        /// llama.cpp's rendering of `plain`: the text, unless the vocabulary lacks some byte.
        var rendered: String
    }

    struct Fixture: Decodable {
        var model: String
        /// The `tokenizer.ggml.pre` the reference was made with, when not the file's own.
        var pre: String?
        var bos_first_text: [Int]
        var cases: [Case]
    }

    /// The fixture files, by vocabulary.
    static let vocabularies = [
        "r1-header", "qwen2.5-0.5b", "smollm2-135m", "qwen2.5-as-llama-bpe", "qwen2.5-as-gpt-2",
    ]

    static func load<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        let url = TestModels.fixtures.appendingPathComponent("tokenizer/\(name).json")
        return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
    }

    static func modelAvailable(_ vocabulary: String) -> Bool {
        guard let fixture = try? load(vocabulary, as: Fixture.self) else { return true }
        return TestModels.available(fixture.model)
    }

    /// Tokenizers are loaded once per vocabulary and shared by the tests.
    static let tokenizers = TokenizerCache()

    final class TokenizerCache: Sendable {
        private let lock = NSLock()
        nonisolated(unsafe) private var loaded: [String: Tokenizer] = [:]

        func tokenizer(for fixture: Fixture) throws -> Tokenizer {
            lock.lock()
            defer { lock.unlock() }
            let key = fixture.model + "|" + (fixture.pre ?? "")
            if let tokenizer = loaded[key] { return tokenizer }
            let url = try #require(TestModels.url(fixture.model), "missing model \(fixture.model)")
            let tokenizer = try Tokenizer(contentsOf: url, preTokenizer: fixture.pre.map(PreTokenizer.init(name:)))
            loaded[key] = tokenizer
            return tokenizer
        }
    }

    @Test(arguments: vocabularies)
    func idsEqualLlamaCpp(vocabulary: String) throws {
        try #require(Self.modelAvailable(vocabulary) || !TestModels.required)
        guard Self.modelAvailable(vocabulary) else { return }
        let corpus = try Self.load("corpus", as: [String].self)
        let fixture = try Self.load(vocabulary, as: Fixture.self)
        try #require(corpus.count == fixture.cases.count)
        #expect(corpus.count >= 40)
        let tokenizer = try Self.tokenizers.tokenizer(for: fixture)
        for (text, expected) in zip(corpus, fixture.cases) {
            #expect(tokenizer.encode(text) == expected.plain, "plain: \(text.debugDescription)")
            #expect(tokenizer.encode(text, parseSpecial: true) == expected.special, "special: \(text.debugDescription)")
        }
        #expect(tokenizer.encode(corpus[0], addSpecial: true) == fixture.bos_first_text)
    }

    @Test(arguments: vocabularies)
    func decodeInvertsEncode(vocabulary: String) throws {
        guard Self.modelAvailable(vocabulary) else { return }
        let corpus = try Self.load("corpus", as: [String].self)
        let fixture = try Self.load(vocabulary, as: Fixture.self)
        let tokenizer = try Self.tokenizers.tokenizer(for: fixture)
        for (text, expected) in zip(corpus, fixture.cases) {
            // Compare bytes: Swift's String == treats canonically equivalent texts as equal.
            let expectedText = Array(expected.rendered.utf8)
            #expect(expectedText == Array(text.utf8) || Self.lacksByteTokens(vocabulary, text), "\(text.debugDescription)")
            let plain = try tokenizer.decode(tokenizer.encode(text))
            #expect(Array(plain.utf8) == expectedText, "\(text.debugDescription)")
            let special = try tokenizer.decode(tokenizer.encode(text, parseSpecial: true))
            #expect(Array(special.utf8) == expectedText, "\(text.debugDescription)")
            let hidden = try tokenizer.decode(expected.special, renderSpecial: false)
            #expect(Array(hidden.utf8) == Array(expected.hidden.utf8), "hidden: \(text.debugDescription)")
        }
    }

    /// SmolLM2 has no token for the bytes 0x06 and 0x1D, which llama.cpp (and Minnow) drop:
    /// the one corpus text holding them cannot round-trip there.
    static func lacksByteTokens(_ vocabulary: String, _ text: String) -> Bool {
        vocabulary == "smollm2-135m" && text.unicodeScalars.contains { $0 == "\u{06}" || $0 == "\u{1D}" }
    }

    @Test(arguments: vocabularies)
    func streamingMatchesWholeDecoding(vocabulary: String) throws {
        guard Self.modelAvailable(vocabulary) else { return }
        let corpus = try Self.load("corpus", as: [String].self)
        let fixture = try Self.load(vocabulary, as: Fixture.self)
        let tokenizer = try Self.tokenizers.tokenizer(for: fixture)
        for text in corpus {
            var stream = StreamingDetokenizer(tokenizer: tokenizer)
            var chunks: [String] = []
            for id in tokenizer.encode(text, parseSpecial: true) { chunks.append(try stream.append(id)) }
            chunks.append(stream.finish())
            if Self.lacksByteTokens(vocabulary, text) { continue }
            #expect(Array(chunks.joined().utf8) == Array(text.utf8), "\(text.debugDescription)")
            // The corpus is valid text, so no chunk may hold a replacement character.
            #expect(chunks.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") }, "\(text.debugDescription)")
        }
    }
}
