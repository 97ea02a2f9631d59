import MinnowTokenizer
import Testing

/// Hostile text for the tokenizer: one word of 100,000 bytes (the BPE heap path), long runs of
/// whitespace and punctuation, a control token spelled 10,000 times, and near-misses of one.
/// The tokenizer's work and memory are linear in the text (about 40 bytes of scratch per input
/// byte for one long word; see issue 13, item 9), so these finish quickly; the tests pin that
/// the answers stay exact on such input.
@Suite struct PathologicalInputTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(vocabulary: SyntheticVocabulary.vocabulary())
    }

    private func id(_ text: String) -> Int { SyntheticVocabulary.id(text) }

    private func roundTrips(_ text: String, parseSpecial: Bool = false) throws -> Bool {
        Array(try tokenizer.decode(tokenizer.encode(text, parseSpecial: parseSpecial)).utf8) == Array(text.utf8)
    }

    @Test func oneHugeWordMergesExactly() {
        let word = String(repeating: "a", count: 100_001)
        #expect(tokenizer.encode(word) == Array(repeating: id("aa"), count: 50_000) + [id("a")])
    }

    @Test func longRunsRoundTrip() throws {
        for run in [" ", "\n", "\t ", "<", "1", "é", "🇩🇪"] {
            #expect(try roundTrips(String(repeating: run, count: 50_000)), "run of \(run.debugDescription)")
            #expect(try roundTrips(String(repeating: run, count: 50_000), parseSpecial: true), "run of \(run.debugDescription)")
        }
    }

    @Test func aControlTokenSpelledManyTimes() throws {
        let text = String(repeating: "<|im_start|>", count: 10_000)
        #expect(tokenizer.encode(text, parseSpecial: true) == Array(repeating: id("<|im_start|>"), count: 10_000))
        #expect(!tokenizer.encode(text).contains(id("<|im_start|>")))
        #expect(try roundTrips(text))
    }

    @Test func nearMissesOfAControlTokenStayText() throws {
        let text = String(repeating: "<|im_start|", count: 10_000) + String(repeating: "<think", count: 10_000)
        let ids = tokenizer.encode(text, parseSpecial: true)
        #expect(!ids.contains(id("<|im_start|>")))
        #expect(!ids.contains(id("<think>")))
        #expect(try roundTrips(text, parseSpecial: true))
    }
}
