import Synchronization

/// A context-free grammar in llama.cpp's GBNF, compiled for constrained generation.
///
/// Grammars written for llama.cpp work unchanged: rules (`name ::= …`), alternation `|`,
/// groups, `*` `+` `?` `{m}` `{m,}` `{m,n}`, string literals, character classes with ranges and
/// `^` negation, `.`, escapes and `#` comments. Generation starts at the `root` rule.
///
/// ```swift
/// let answer = try Grammar(gbnf: #"root ::= "yes" | "no""#)
/// var parameters = GenerationParameters(maxTokens: 8)
/// parameters.constraint = .grammar(answer)
/// ```
///
/// A grammar is compiled once; the matcher's states and the token masks it computes while
/// generating are kept with it and reused by every generation that uses the same grammar value
/// (copies share them), so reuse one value across requests.
public struct Grammar: Sendable {
    /// The GBNF text of the grammar.
    public let source: String
    let automaton: GrammarAutomaton

    /// Parses and compiles GBNF text.
    /// - Throws: ``GrammarError`` naming the line and column of a syntax error, an undefined or
    ///   duplicate rule, a missing `root`, or left recursion.
    public init(gbnf source: String) throws {
        var parser = GrammarParser(source)
        let program = try GrammarProgram(parser.parse())
        self.source = source
        self.automaton = GrammarAutomaton(program: program)
    }

    /// Whether the grammar matches all of `text`.
    public func matches(_ text: String) -> Bool {
        automaton.withTables { tables in
            guard let end = tables.step(tables.start, over: text.utf8) else { return false }
            return tables.isComplete(end)
        }
    }

    /// Whether `text` can be continued into a match (every byte is accepted so far; a match is a
    /// prefix of itself).
    public func matchesPrefix(_ text: String) -> Bool {
        automaton.withTables { tables in tables.step(tables.start, over: text.utf8) != nil }
    }
}

/// The shared, lock-protected memo of one grammar's matcher.
final class GrammarAutomaton: Sendable {
    private let tables: Mutex<AutomatonTables>

    init(program: GrammarProgram) {
        tables = Mutex(AutomatonTables(program: program))
    }

    /// Runs `body` with the tables locked.
    func withTables<Result>(_ body: (inout AutomatonTables) -> Result) -> Result {
        tables.withLock { body(&$0) }
    }
}
