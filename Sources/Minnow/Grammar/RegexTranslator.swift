/// Translates the supported subset of a JSON-schema `pattern` into a GBNF expression for the
/// JSON-escaped text of the strings it matches (see ``Grammar/init(jsonSchema:)``).
struct RegexTranslator {
    private let pattern: [Unicode.Scalar]
    private let pointer: String
    private var position = 0

    init(_ pattern: String, pointer: String) {
        self.pattern = Array(pattern.unicodeScalars)
        self.pointer = pointer
    }

    /// The expression for the whole pattern, read as anchored.
    mutating func translate() throws -> String {
        if position < pattern.count && pattern[position] == "^" { position += 1 }
        let expression = try alternation()
        if position < pattern.count && pattern[position] == "$" { position += 1 }
        guard position == pattern.count else { throw error("unexpected '\(pattern[position])'") }
        return expression
    }

    private mutating func alternation() throws -> String {
        var branches = [try sequence()]
        while position < pattern.count && pattern[position] == "|" {
            position += 1
            branches.append(try sequence())
        }
        return "(" + branches.joined(separator: " | ") + ")"
    }

    private mutating func sequence() throws -> String {
        var parts: [String] = []
        while position < pattern.count {
            let c = pattern[position]
            if c == "|" || c == ")" { break }
            if c == "$" && position == pattern.count - 1 { break }
            var atom = try self.atom()
            atom += try quantifier()
            parts.append(atom)
        }
        return parts.isEmpty ? #""""# : parts.joined(separator: " ")
    }

    private mutating func atom() throws -> String {
        let c = pattern[position]
        position += 1
        switch c {
        case "(":
            if position + 1 < pattern.count && pattern[position] == "?" {
                guard pattern[position + 1] == ":" else { throw error("lookaround and named groups are not supported") }
                position += 2
            }
            let inner = try alternation()
            guard position < pattern.count && pattern[position] == ")" else { throw error("missing ')'") }
            position += 1
            return inner
        case "[":
            return Self.gbnf(try characterClass())
        case ".":
            return Self.gbnf(CharacterClass(ranges: [0x0A...0x0A], negated: true))
        case "\\":
            guard position < pattern.count else { throw error("pattern ends with '\\'") }
            let e = pattern[position]
            position += 1
            if let shorthand = Self.shorthand(e) { return Self.gbnf(shorthand) }
            return Self.gbnf(CharacterClass(ranges: [try escaped(e)].map { $0...$0 }, negated: false))
        case "*", "+", "?", "{":
            throw error("'\(c)' has nothing to repeat")
        default:
            return Self.gbnf(CharacterClass(ranges: [c.value...c.value], negated: false))
        }
    }

    private mutating func quantifier() throws -> String {
        guard position < pattern.count else { return "" }
        var result = ""
        switch pattern[position] {
        case "*", "+", "?":
            result = String(pattern[position])
            position += 1
        case "{":
            var end = position + 1
            while end < pattern.count && pattern[end] != "}" { end += 1 }
            guard end < pattern.count else { throw error("missing '}'") }
            let body = String(String.UnicodeScalarView(pattern[(position + 1)..<end]))
            let parts = body.split(separator: ",", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let minimum = Int(parts[0]),
                  parts.count == 1 || parts[1].isEmpty || Int(parts[1]) != nil else {
                throw error("malformed repetition '{\(body)}'")
            }
            let maximum = parts.count == 2 ? Int(parts[1]) : minimum
            if let maximum, maximum < minimum { throw error("repetition maximum below minimum") }
            guard max(minimum, maximum ?? 0) <= GrammarParser.maxRepetition else { throw error("repetition count too large") }
            result = "{\(minimum)," + (maximum.map(String.init) ?? "") + "}"
            position = end + 1
        default:
            return ""
        }
        // A lazy or possessive marker changes nothing about which strings match.
        if position < pattern.count && (pattern[position] == "?" || pattern[position] == "+") { position += 1 }
        return result
    }

    private mutating func characterClass() throws -> CharacterClass {
        var negated = false
        if position < pattern.count && pattern[position] == "^" { negated = true; position += 1 }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard position < pattern.count else { throw error("missing ']'") }
            var c = pattern[position]
            position += 1
            if c == "]" && !first { break }
            first = false
            if c == "\\" {
                guard position < pattern.count else { throw error("pattern ends with '\\'") }
                let e = pattern[position]
                position += 1
                if let shorthand = Self.shorthand(e) {
                    guard !shorthand.negated else { throw error("'\\\(e)' inside a class is not supported") }
                    ranges += shorthand.ranges
                    continue
                }
                c = Unicode.Scalar(try escaped(e)) ?? c
            }
            if position + 1 < pattern.count && pattern[position] == "-" && pattern[position + 1] != "]" {
                position += 1
                var upper = pattern[position]
                position += 1
                if upper == "\\" {
                    guard position < pattern.count else { throw error("pattern ends with '\\'") }
                    upper = Unicode.Scalar(try escaped(pattern[position])) ?? upper
                    position += 1
                }
                guard c.value <= upper.value else { throw error("reversed range '\(c)-\(upper)'") }
                ranges.append(c.value...upper.value)
            } else {
                ranges.append(c.value...c.value)
            }
        }
        return CharacterClass(ranges: ranges, negated: negated)
    }

    /// The code point of a single-character escape.
    private func escaped(_ e: Unicode.Scalar) throws -> UInt32 {
        switch e {
        case "n": return 0x0A
        case "t": return 0x09
        case "r": return 0x0D
        case "f": return 0x0C
        case "v": return 0x0B
        case ".", "\\", "/", "-", "(", ")", "[", "]", "{", "}", "*", "+", "?", "|", "^", "$", "\"", " ", ":", ",", "#", "@", "!", "&", "=", "<", ">", "'", "%", "~", "_", ";":
            return e.value
        default: throw error("escape '\\\(e)' is not supported")
        }
    }

    private static func shorthand(_ e: Unicode.Scalar) -> CharacterClass? {
        let digits: [ClosedRange<UInt32>] = [0x30...0x39]
        let word: [ClosedRange<UInt32>] = [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A]
        let space: [ClosedRange<UInt32>] = [0x09...0x0D, 0x20...0x20]
        switch e {
        case "d": return CharacterClass(ranges: digits, negated: false)
        case "D": return CharacterClass(ranges: digits, negated: true)
        case "w": return CharacterClass(ranges: word, negated: false)
        case "W": return CharacterClass(ranges: word, negated: true)
        case "s": return CharacterClass(ranges: space, negated: false)
        case "S": return CharacterClass(ranges: space, negated: true)
        default: return nil
        }
    }

    /// GBNF for the JSON text of one character of `set`: characters JSON must escape are
    /// written escaped (`\"`, `\\`), control characters are left out.
    private static func gbnf(_ set: CharacterClass) -> String {
        let quote: UInt32 = 0x22, backslash: UInt32 = 0x5C
        let specials: [ClosedRange<UInt32>] = [0x00...0x1F, quote...quote, backslash...backslash, 0x7F...0x7F]
        var alternatives: [String] = []
        if set.negated {
            alternatives.append(classText(CharacterClass(ranges: set.ranges + specials, negated: true)))
        } else {
            // The set minus the specials.
            var plain: [ClosedRange<UInt32>] = []
            for range in set.ranges {
                var pieces = [range]
                for special in specials {
                    pieces = pieces.flatMap { piece -> [ClosedRange<UInt32>] in
                        guard piece.overlaps(special) else { return [piece] }
                        var rest: [ClosedRange<UInt32>] = []
                        if piece.lowerBound < special.lowerBound { rest.append(piece.lowerBound...(special.lowerBound - 1)) }
                        if piece.upperBound > special.upperBound { rest.append((special.upperBound + 1)...piece.upperBound) }
                        return rest
                    }
                }
                plain += pieces
            }
            if !plain.isEmpty { alternatives.append(classText(CharacterClass(ranges: plain, negated: false))) }
        }
        if set.contains(quote) { alternatives.append(#""\\\"""#) }
        if set.contains(backslash) { alternatives.append(#""\\\\""#) }
        if alternatives.isEmpty { return #"[^\x00-\U0010FFFF]"# }
        return alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " | ") + ")"
    }

    private static func classText(_ set: CharacterClass) -> String {
        var text = set.negated ? "[^" : "["
        for range in set.ranges {
            text += code(range.lowerBound)
            if range.upperBound != range.lowerBound { text += "-" + code(range.upperBound) }
        }
        return text + "]"
    }

    private static func code(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        if value <= 0xFF { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
        if value <= 0xFFFF { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    private func error(_ message: String) -> GrammarError {
        .unsupportedSchema(pointer: pointer, message: "pattern: \(message)")
    }
}
