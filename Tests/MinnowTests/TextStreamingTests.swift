import Minnow
import Testing

@Suite struct ThinkTagSplitterTests {
    /// Feeds `parts` and returns (reasoning, answer).
    func split(_ parts: [String], startsInReasoning: Bool = false) -> (String, String) {
        var splitter = ThinkTagSplitter(startsInReasoning: startsInReasoning)
        var pieces: [ThinkTagSplitter.Piece] = []
        for part in parts { pieces += splitter.feed(part) }
        pieces += splitter.flush()
        let reasoning = pieces.filter { $0.channel == .reasoning }.map(\.text).joined()
        let answer = pieces.filter { $0.channel == .answer }.map(\.text).joined()
        return (reasoning, answer)
    }

    /// Every way of cutting `text` into three pieces.
    func allSplits(of text: String) -> [[String]] {
        let characters = Array(text)
        var result: [[String]] = []
        for i in 0...characters.count {
            for j in i...characters.count {
                result.append([String(characters[..<i]), String(characters[i..<j]), String(characters[j...])])
            }
        }
        return result
    }

    @Test func splitsReasoningFromAnswerAcrossEveryCut() {
        let text = "<think>\nLet me think.</think>\n\nParis."
        for parts in allSplits(of: text) {
            let (reasoning, answer) = split(parts)
            #expect(reasoning == "Let me think.", "parts: \(parts)")
            #expect(answer == "Paris.", "parts: \(parts)")
        }
    }

    @Test func handlesAMissingOpeningTagWhenThePromptOpenedTheThought() {
        let text = "Hmm, 2+2 is 4.\n</think>\n\nFour."
        for parts in allSplits(of: text) {
            let (reasoning, answer) = split(parts, startsInReasoning: true)
            #expect(reasoning == "Hmm, 2+2 is 4.\n", "parts: \(parts)")
            #expect(answer == "Four.", "parts: \(parts)")
        }
    }

    @Test func textWithoutTagsIsAllAnswer() {
        #expect(split(["Hello", " there"]) == ("", "Hello there"))
        #expect(split(["<thin", "king> is not a tag"]) == ("", "<thinking> is not a tag"))
        #expect(split(["  <", "b>bold"]) == ("", "  <b>bold"))
    }

    @Test func unfinishedReasoningStaysReasoning() {
        #expect(split(["<think>still going </th"]) == ("still going </th", ""))
    }

    @Test func closingFromOutsideMovesToTheAnswer() {
        var splitter = ThinkTagSplitter(startsInReasoning: true)
        var pieces = splitter.feed("thinking </thi")
        pieces += splitter.closeReasoning()
        pieces += splitter.feed("\n\nanswer")
        #expect(pieces == [
            .init(channel: .reasoning, text: "thinking "),
            .init(channel: .reasoning, text: "</thi"),
            .init(channel: .answer, text: "answer"),
        ])
    }
}

@Suite struct StopStringFilterTests {
    func run(_ parts: [String], stops: [String]) -> (emitted: [String], matched: String?) {
        var filter = StopStringFilter(stopStrings: stops)
        var emitted: [String] = []
        for part in parts {
            let output = filter.feed(part)
            if !output.text.isEmpty { emitted.append(output.text) }
            if let matched = output.matched { return (emitted, matched) }
        }
        let rest = filter.flush()
        if !rest.isEmpty { emitted.append(rest) }
        return (emitted, nil)
    }

    @Test func stopsAcrossPiecesWithoutLeakingAPartialMatch() {
        let text = "Answer: 42\nUser: next"
        let characters = Array(text)
        for cut in 0...characters.count {
            for cut2 in cut...characters.count {
                let parts = [String(characters[..<cut]), String(characters[cut..<cut2]), String(characters[cut2...])]
                let (emitted, matched) = run(parts, stops: ["\nUser:"])
                #expect(matched == "\nUser:")
                #expect(emitted.joined() == "Answer: 42", "parts: \(parts)")
                // No emitted piece may contain the start of the stop string.
                #expect(!emitted.joined().contains("\n"), "parts: \(parts)")
            }
        }
    }

    @Test func releasesAHeldPrefixThatNeverCompletes() {
        let (emitted, matched) = run(["Hello\nUs", "e it"], stops: ["\nUser:"])
        #expect(matched == nil)
        #expect(emitted.joined() == "Hello\nUse it")
        let (ended, endedMatch) = run(["Hello\nUs"], stops: ["\nUser:"])
        #expect(endedMatch == nil)
        #expect(ended == ["Hello", "\nUs"])  // held back until the end, then released
    }

    @Test func theEarliestStopWins() {
        let (emitted, matched) = run(["a STOP b END"], stops: ["END", "STOP"])
        #expect(matched == "STOP")
        #expect(emitted.joined() == "a ")
    }
}

@Suite struct StreamingTextDecoderTests {
    @Test func neverSplitsACharacterAcrossTokens() {
        let text = "Grüße 👩‍💻 東京!"
        let bytes = Array(text.utf8)
        // Feed one byte per "token": every emitted piece must be valid, whole UTF-8.
        var decoder = StreamingTextDecoder()
        var output = ""
        for byte in bytes {
            let piece = decoder.append([byte])
            #expect(!piece.contains("\u{FFFD}"))
            output += piece
        }
        output += decoder.flush()
        #expect(output == text)
    }

    @Test func flushReplacesAnIncompleteCharacter() {
        var decoder = StreamingTextDecoder()
        #expect(decoder.append([0x41, 0xE6, 0x9D]) == "A")
        #expect(decoder.flush() == "\u{FFFD}")
    }
}
