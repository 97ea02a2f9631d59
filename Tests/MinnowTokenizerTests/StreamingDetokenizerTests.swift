import MinnowTokenizer
import Testing

/// The streaming detokenizer never emits part of a UTF-8 character.
@Suite struct StreamingDetokenizerTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(vocabulary: SyntheticVocabulary.vocabulary())
    }

    /// One byte token per byte of `text` (byte b is token b): the worst case for split characters.
    private func byteIDs(_ text: String) -> [Int] { text.utf8.map(Int.init) }

    @Test func holdsBackSplitCharacters() throws {
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        let text = "a€👨‍👩‍👧世"
        var outputs: [String] = []
        for id in byteIDs(text) { outputs.append(try stream.append(id)) }
        #expect(stream.finish() == "")
        #expect(outputs.joined() == text)
        // Every chunk is whole characters: no replacement characters anywhere.
        #expect(outputs.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
        // "€" is three bytes: nothing until its last byte arrives.
        #expect(outputs[1] == "" && outputs[2] == "" && outputs[3] == "€")
    }

    @Test func finishFlushesAnIncompleteCharacter() throws {
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(try stream.append(0xF0) == "")
        #expect(try stream.append(0x9F) == "")
        #expect(stream.hasPendingBytes)
        #expect(stream.finish() == "\u{FFFD}")
        #expect(!stream.hasPendingBytes)
    }

    @Test func invalidBytesDoNotStall() throws {
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        // A lead byte followed by ASCII can never complete: both come out at once.
        #expect(try stream.append(0xE4) == "")
        #expect(try stream.append(Int(UInt8(ascii: "A"))) == "\u{FFFD}A")
        #expect(try stream.append(0xFF) == "\u{FFFD}")
    }

    @Test func controlTokensFollowTheOption() throws {
        var shown = StreamingDetokenizer(tokenizer: tokenizer)
        var hidden = StreamingDetokenizer(tokenizer: tokenizer, renderSpecial: false)
        let control = SyntheticVocabulary.id("<|im_start|>")
        #expect(try shown.append(control) == "<|im_start|>")
        #expect(try hidden.append(control) == "")
    }
}
