import Minnow
import Testing

/// GBNF parsing and matching, and the errors that name the place of a problem.
@Suite struct GrammarParserTests {
    @Test func repetitionCountsMatchExactly() throws {
        let grammar = try Grammar(gbnf: #"root ::= "a"{2,4} "b"{3} "c"{1,} "d"{0,1}"#)
        #expect(grammar.matches("aabbbc"))
        #expect(grammar.matches("aaaabbbcccd"))
        #expect(!grammar.matches("abbbc"))
        #expect(!grammar.matches("aaaaabbbc"))
        #expect(!grammar.matches("aabbc"))
        #expect(!grammar.matches("aabbbcdd"))
        #expect(grammar.matchesPrefix("aab"))
        #expect(!grammar.matches("aab"))
    }

    @Test func classesNegationRangesAndEscapes() throws {
        let grammar = try Grammar(gbnf: #"""
            root ::= [^a-c\n] [\x41-\x43] "\u00e9\t" [\]\[] "\"" . # a comment
            """#)
        #expect(grammar.matches("zBé\t]\"日"))
        #expect(!grammar.matches("bBé\t]\"x"))
        #expect(!grammar.matches("zDé\t]\"x"))
        #expect(!grammar.matches("zBé\t]\""))
    }

    @Test func groupsSpanLinesAndAlternativesMayBeEmpty() throws {
        let grammar = try Grammar(gbnf: """
            root ::= (
                "x" |
                "y" z
            ) end
            z ::= | "z"
            end ::= "!"
            """)
        #expect(grammar.matches("x!"))
        #expect(grammar.matches("yz!"))
        #expect(grammar.matches("y!"))
        #expect(!grammar.matches("z!"))
    }

    @Test func incompleteUTF8IsAViablePrefixOnlyWhenACharacterCanFollow() throws {
        let grammar = try Grammar(gbnf: #"root ::= "é" | [a-z]"#)
        #expect(grammar.matches("é"))
        #expect(!grammar.matches("ü"))
        #expect(!grammar.matchesPrefix("日"))
    }

    @Test(arguments: [
        ("root ::= foo", "grammar error at line 1, column 10: undefined rule 'foo'"),
        ("root ::= \"a\"\n\nx ::= \"b\" (y)", "grammar error at line 3, column 12: undefined rule 'y'"),
        ("root ::= \"abc", "grammar syntax error at line 1, column 14: unterminated string literal"),
        ("root ::= [a-", "grammar syntax error at line 1, column 13: unterminated character class"),
        ("root ::= (\"a\"", "grammar syntax error at line 1, column 14: expected ')'"),
        ("rot ::= \"a\"", "grammar error: no 'root' rule"),
        ("root ::= \"a\"{2,1}", "grammar syntax error at line 1, column 18: repetition maximum is below its minimum"),
        ("root ::= \"\\q\"", "grammar syntax error at line 1, column 13: unknown escape '\\q'"),
        ("root ::= root \"a\"", "grammar error: rule 'root' is left-recursive"),
        ("root ::= a\na ::= \"x\"? root", "grammar error: rule 'root' is left-recursive"),
        ("root ::= * \"a\"", "grammar syntax error at line 1, column 10: '*' must follow an element"),
        ("root ::= \"a\"\nroot ::= \"b\"", "grammar error at line 2: rule 'root' is defined twice"),
        ("root = \"a\"", "grammar syntax error at line 1, column 6: expected '::=' after rule name 'root'"),
        ("root ::= \"a\" } ", "grammar syntax error at line 1, column 14: unexpected character '}'"),
        ("root ::= \"a\"{99999}", "grammar syntax error at line 1, column 18: repetition count above 10000"),
    ])
    func badGrammarsAreRefusedWithTheirPlace(source: String, message: String) {
        #expect(throws: GrammarError.self) { try Grammar(gbnf: source) }
        do {
            _ = try Grammar(gbnf: source)
        } catch {
            #expect("\(error)" == message)
        }
    }
}
