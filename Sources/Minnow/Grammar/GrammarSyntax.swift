/// The parsed form of a GBNF grammar, before compilation.
struct GrammarSyntax {
    /// One element of a sequence.
    indirect enum Term {
        /// A string literal, as code points.
        case literal([UInt32])
        /// A character class: sorted, merged code-point ranges, possibly negated. `.` is the
        /// negated empty class.
        case characters(CharacterClass)
        /// A reference to a rule, with its place for errors.
        case reference(name: String, line: Int, column: Int)
        /// A parenthesized group of alternatives.
        case group([[Term]])
        /// `term{min,max}`; a nil `max` is unbounded (`*`, `+`, `{m,}`).
        case repetition(Term, min: Int, max: Int?)
    }

    /// A rule: its name, the line of its definition, and its alternatives (sequences of terms).
    struct Rule {
        var name: String
        var line: Int
        var alternatives: [[Term]]
    }

    /// The rules in the order of their definition.
    var rules: [Rule]
}

/// A set of code points: sorted, non-overlapping ranges, possibly negated.
struct CharacterClass: Hashable, Sendable {
    /// The ranges, sorted and merged.
    var ranges: [ClosedRange<UInt32>]
    /// Whether the class matches the code points outside ``ranges``.
    var negated: Bool

    /// A class from ranges in any order; they are sorted and merged.
    init(ranges: [ClosedRange<UInt32>], negated: Bool) {
        let sorted = ranges.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound &+ 1 && last.upperBound != UInt32.max {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
        self.negated = negated
    }

    /// Whether `codePoint` is in the class.
    func contains(_ codePoint: UInt32) -> Bool {
        var inside = false
        for range in ranges {
            if codePoint < range.lowerBound { break }
            if codePoint <= range.upperBound { inside = true; break }
        }
        return inside != negated
    }

    /// Whether some code point in `lower...upper` is in the class.
    func intersects(_ lower: UInt32, _ upper: UInt32) -> Bool {
        if !negated {
            return ranges.contains { $0.lowerBound <= upper && $0.upperBound >= lower }
        }
        // Negated: some code point of lower...upper lies outside every range.
        var next = lower
        for range in ranges where range.upperBound >= next {
            if range.lowerBound > next { return true }
            if range.upperBound >= upper { return false }
            next = range.upperBound + 1
        }
        return next <= upper
    }
}
