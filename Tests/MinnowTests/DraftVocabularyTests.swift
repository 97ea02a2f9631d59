import Minnow
import Testing

/// The token ids a trimmed draft head keeps (``DraftVocabulary``).
struct DraftVocabularyTests {
    /// 1,000 ordinary tokens, then four special ones (the last ends generation), then padding.
    struct Codec: TextCodec {
        func encode(_ text: String, parseSpecialTokens: Bool) throws -> [Int32] { [] }
        var beginningOfSequence: Int32? { nil }
        func bytes(of token: Int32) -> [UInt8] { token < 1_000 ? [UInt8(token % 200 + 32)] : [] }
        func isEndOfGeneration(_ token: Int32) -> Bool { token == 1_003 }
        func isSpecial(_ token: Int32) -> Bool { (1_000..<1_004).contains(token) }
    }

    @Test func keepsTheLeadingIdsAndTheSpecialOnesInWholeRowGroups() throws {
        let kept = try #require(DraftVocabulary.keptTokens(size: 98, vocabularySize: 1_024, codec: Codec()))
        #expect(kept.count % DraftVocabulary.rowMultiple == 0)
        for special in 1_000..<1_004 { #expect(kept.contains(special)) }
        // 98 + 4 special ids, padded to 104 with the two ordinary ids after the leading ones.
        #expect(kept == Array(0..<100) + Array(1_000..<1_004))
        #expect(kept == kept.sorted())
    }

    @Test func theWholeVocabularyIsNoTrim() {
        #expect(DraftVocabulary.keptTokens(size: 1_024, vocabularySize: 1_024, codec: Codec()) == nil)
        #expect(DraftVocabulary.keptTokens(size: 1_020, vocabularySize: 1_024, codec: Codec()) == nil)
        #expect(DraftVocabulary.keptTokens(size: 0, vocabularySize: 1_024, codec: Codec()) == nil)
    }
}
