/// Reads llama.cpp's GBNF: `name ::= alternatives` rules, `|`, sequences, `( )` groups, `*`
/// `+` `?` `{m}` `{m,}` `{m,n}`, `"literals"`, `[classes]` (ranges, `^` negation), `.`, escapes
/// (`\x`, `\u`, `\U`, `\t`, `\n`, `\r`, `\\`, `\"`, `\[`, `\]`) and `#` comments. A rule ends at
/// the end of its line, except inside parentheses.
struct GrammarParser {
    private let text: [UInt32]
    private var position = 0
    private var line = 1
    private var column = 1

    /// The repetition counts a `{m,n}` may use: larger ones expand into too many elements.
    static let maxRepetition = 10_000

    init(_ source: String) {
        text = source.unicodeScalars.map(\.value)
    }

    /// Parses the whole text.
    mutating func parse() throws -> GrammarSyntax {
        var rules: [GrammarSyntax.Rule] = []
        skipSpace(newlines: true)
        while !atEnd {
            rules.append(try parseRule())
            skipSpace(newlines: true)
        }
        return GrammarSyntax(rules: rules)
    }

    // MARK: - Rules

    private mutating func parseRule() throws -> GrammarSyntax.Rule {
        let ruleLine = line
        let name = try parseName()
        skipSpace(newlines: false)
        guard consume("::=") else { throw error("expected '::=' after rule name '\(name)'") }
        skipSpace(newlines: true)
        let alternatives = try parseAlternatives(nested: false)
        // The rule must end here: at a newline or the end of the text.
        if !atEnd {
            guard current == 0x0A || current == 0x0D else {
                throw error("unexpected character '\(describe(current))'")
            }
        }
        return GrammarSyntax.Rule(name: name, line: ruleLine, alternatives: alternatives)
    }

    private mutating func parseAlternatives(nested: Bool) throws -> [[GrammarSyntax.Term]] {
        var alternatives = [try parseSequence(nested: nested)]
        while !atEnd && current == UInt32(UInt8(ascii: "|")) {
            advance()
            skipSpace(newlines: true)
            alternatives.append(try parseSequence(nested: nested))
        }
        return alternatives
    }

    private mutating func parseSequence(nested: Bool) throws -> [GrammarSyntax.Term] {
        var terms: [GrammarSyntax.Term] = []
        while !atEnd {
            let c = current
            switch c {
            case ascii("\""):
                advance()
                var codePoints: [UInt32] = []
                while true {
                    guard !atEnd, current != 0x0A else { throw error("unterminated string literal") }
                    if current == ascii("\"") { advance(); break }
                    codePoints.append(try parseCharacter())
                }
                terms.append(.literal(codePoints))
            case ascii("["):
                advance()
                var negated = false
                if !atEnd && current == ascii("^") { negated = true; advance() }
                var ranges: [ClosedRange<UInt32>] = []
                while true {
                    guard !atEnd, current != 0x0A else { throw error("unterminated character class") }
                    if current == ascii("]") { advance(); break }
                    let lower = try parseCharacter()
                    if !atEnd && current == ascii("-") && peek(1) != nil && peek(1) != ascii("]") {
                        advance()
                        let upper = try parseCharacter()
                        guard lower <= upper else { throw error("character range is reversed") }
                        ranges.append(lower...upper)
                    } else {
                        ranges.append(lower...lower)
                    }
                }
                terms.append(.characters(CharacterClass(ranges: ranges, negated: negated)))
            case ascii("."):
                advance()
                terms.append(.characters(CharacterClass(ranges: [], negated: true)))
            case ascii("("):
                advance()
                skipSpace(newlines: true)
                let alternatives = try parseAlternatives(nested: true)
                guard !atEnd && current == ascii(")") else { throw error("expected ')'") }
                advance()
                terms.append(.group(alternatives))
            case ascii("*"), ascii("+"), ascii("?"):
                guard let last = terms.popLast() else {
                    throw error("'\(describe(c))' must follow an element")
                }
                advance()
                let (minimum, maximum): (Int, Int?) = c == ascii("*") ? (0, nil) : c == ascii("+") ? (1, nil) : (0, 1)
                terms.append(.repetition(last, min: minimum, max: maximum))
            case ascii("{"):
                guard let last = terms.popLast() else { throw error("'{' must follow an element") }
                advance()
                skipSpace(newlines: nested)
                let minimum = try parseCount()
                skipSpace(newlines: nested)
                var maximum: Int? = minimum
                if !atEnd && current == ascii(",") {
                    advance()
                    skipSpace(newlines: nested)
                    maximum = (!atEnd && isDigit(current)) ? try parseCount() : nil
                    skipSpace(newlines: nested)
                }
                guard !atEnd && current == ascii("}") else { throw error("expected '}'") }
                advance()
                if let maximum, maximum < minimum { throw error("repetition maximum is below its minimum") }
                terms.append(.repetition(last, min: minimum, max: maximum))
            default:
                if isWordCharacter(c) {
                    let (refLine, refColumn) = (line, column)
                    let name = try parseName()
                    // A name followed by `::=` starts the next rule: this sequence ends before it.
                    var probe = self
                    probe.skipSpace(newlines: false)
                    if probe.consume("::=") {
                        throw GrammarError.syntax(
                            message: "expected a newline before rule '\(name)'", line: refLine, column: refColumn)
                    }
                    terms.append(.reference(name: name, line: refLine, column: refColumn))
                } else {
                    // The end of this sequence: `|`, `)`, a newline or a stray character,
                    // which the caller judges.
                    return terms
                }
            }
            skipSpace(newlines: nested)
        }
        return terms
    }

    private mutating func parseName() throws -> String {
        var name = ""
        while !atEnd && isWordCharacter(current) {
            name.unicodeScalars.append(Unicode.Scalar(current) ?? "?")
            advance()
        }
        guard !name.isEmpty else {
            throw error(atEnd ? "expected a rule name" : "expected a rule name, found '\(describe(current))'")
        }
        return name
    }

    private mutating func parseCount() throws -> Int {
        var value = 0
        guard !atEnd && isDigit(current) else { throw error("expected a number") }
        while !atEnd && isDigit(current) {
            value = value * 10 + Int(current - ascii("0"))
            guard value <= Self.maxRepetition else {
                throw error("repetition count above \(Self.maxRepetition)")
            }
            advance()
        }
        return value
    }

    /// One character of a literal or class, escapes decoded.
    private mutating func parseCharacter() throws -> UInt32 {
        let c = current
        guard c == ascii("\\") else {
            advance()
            return c
        }
        advance()
        guard !atEnd else { throw error("unterminated escape") }
        let e = current
        advance()
        switch e {
        case ascii("x"): return try parseHex(digits: 2)
        case ascii("u"): return try parseHex(digits: 4)
        case ascii("U"): return try parseHex(digits: 8)
        case ascii("t"): return 0x09
        case ascii("r"): return 0x0D
        case ascii("n"): return 0x0A
        case ascii("\\"), ascii("\""), ascii("["), ascii("]"): return e
        default: throw error("unknown escape '\\\(describe(e))'")
        }
    }

    private mutating func parseHex(digits: Int) throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard !atEnd, let digit = hexValue(current) else { throw error("expected \(digits) hex digits") }
            value = value << 4 | digit
            advance()
        }
        return value
    }

    // MARK: - Characters

    private var atEnd: Bool { position >= text.count }
    private var current: UInt32 { text[position] }

    private func peek(_ offset: Int) -> UInt32? {
        position + offset < text.count ? text[position + offset] : nil
    }

    private mutating func advance() {
        if text[position] == 0x0A {
            line += 1
            column = 1
        } else {
            column += 1
        }
        position += 1
    }

    private mutating func consume(_ literal: String) -> Bool {
        let scalars = literal.unicodeScalars.map(\.value)
        guard position + scalars.count <= text.count, Array(text[position..<position + scalars.count]) == scalars else {
            return false
        }
        for _ in scalars { advance() }
        return true
    }

    /// Skips blanks and `#` comments, and newlines when `newlines` is true.
    private mutating func skipSpace(newlines: Bool) {
        while !atEnd {
            let c = current
            if c == ascii("#") {
                while !atEnd && current != 0x0A && current != 0x0D { advance() }
            } else if c == 0x20 || c == 0x09 || (newlines && (c == 0x0A || c == 0x0D)) {
                advance()
            } else {
                return
            }
        }
    }

    private func isWordCharacter(_ c: UInt32) -> Bool {
        (c >= ascii("a") && c <= ascii("z")) || (c >= ascii("A") && c <= ascii("Z")) || isDigit(c) || c == ascii("-")
    }

    private func isDigit(_ c: UInt32) -> Bool { c >= ascii("0") && c <= ascii("9") }

    private func hexValue(_ c: UInt32) -> UInt32? {
        if isDigit(c) { return c - ascii("0") }
        if c >= ascii("a") && c <= ascii("f") { return c - ascii("a") + 10 }
        if c >= ascii("A") && c <= ascii("F") { return c - ascii("A") + 10 }
        return nil
    }

    private func describe(_ c: UInt32) -> String {
        if c == 0x0A { return "\\n" }
        return Unicode.Scalar(c).map { String($0) } ?? "?"
    }

    private func error(_ message: String) -> GrammarError {
        .syntax(message: message, line: line, column: column)
    }
}

/// The code point of an ASCII character.
@inline(__always)
private func ascii(_ c: Unicode.Scalar) -> UInt32 { c.value }
