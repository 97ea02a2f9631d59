import Foundation
import Minnow
import MinnowTestSupport
import Testing

/// Minnow's matcher against llama.cpp's grammar engine: for each grammar in
/// `Tests/Fixtures/grammar/grammars` and each string that `Scripts/make-grammar-fixtures.py`
/// judged with llama-cpp-python, Minnow must accept exactly the strings llama.cpp accepts, both
/// as complete matches and as prefixes that can still be continued.
@Suite struct GrammarFixtureTests {
    struct Verdicts: Decodable {
        struct Case: Decodable {
            let text: String
            let prefix: Bool
            let complete: Bool
        }
        struct Entry: Decodable {
            let name: String
            let cases: [Case]
        }
        struct Bad: Decodable {
            let gbnf: String
            /// "accepts", "refuses", "hangs" or "crashes (…)".
            let llama: String
        }
        let grammars: [Entry]
        let badGrammars: [Bad]
    }

    static func load() throws -> Verdicts {
        let url = TestModels.fixtures.appendingPathComponent("grammar/llama-verdicts.json")
        return try JSONDecoder().decode(Verdicts.self, from: Data(contentsOf: url))
    }

    @Test func minnowAcceptsExactlyWhatLlamaCppAccepts() throws {
        let verdicts = try Self.load()
        #expect(verdicts.grammars.count == 5)
        var checked = 0
        for entry in verdicts.grammars {
            let url = TestModels.fixtures.appendingPathComponent("grammar/grammars/\(entry.name).gbnf")
            let grammar = try Grammar(gbnf: String(contentsOf: url, encoding: .utf8))
            #expect(entry.cases.contains { $0.complete } && entry.cases.contains { !$0.prefix })
            for item in entry.cases {
                #expect(grammar.matches(item.text) == item.complete, "\(entry.name): \(item.text.debugDescription)")
                #expect(grammar.matchesPrefix(item.text) == item.prefix, "\(entry.name) prefix: \(item.text.debugDescription)")
                checked += 1
            }
        }
        #expect(checked >= 300)
    }

    /// A grammar llama.cpp refuses (or does not return on), Minnow refuses with an error; one
    /// it accepts, Minnow accepts.
    @Test func malformedGrammarsAreRefusedAlike() throws {
        for bad in try Self.load().badGrammars {
            let accepted = (try? Grammar(gbnf: bad.gbnf)) != nil
            #expect(accepted == (bad.llama == "accepts"), "\(bad.gbnf): llama.cpp \(bad.llama)")
        }
    }
}
