import Foundation
import MinnowTemplate

/// GBNF for integers in a range: alternatives of digit patterns, one per digit count, so that
/// every integer written is within the bounds (JSON form: no leading zeros, no `-0`).
enum IntegerRangeGrammar {
    /// An expression for the integers in `low...high` (nil: unbounded on that side).
    static func expression(_ low: Int?, _ high: Int?) -> String {
        var alternatives: [String] = []
        if high.map({ $0 >= 0 }) ?? true {
            alternatives += magnitudes(max(low ?? 0, 0), high)
        }
        if low.map({ $0 < 0 }) ?? true {
            let smallest = high.map { $0 < 0 ? -$0 : 1 } ?? 1
            alternatives += magnitudes(smallest, low.map { -$0 }).map { #""-" "# + $0 }
        }
        return "(" + alternatives.map { "(" + $0 + ")" }.joined(separator: " | ") + ")"
    }

    /// Alternatives for the non-negative integers in `low...high` (high nil: unbounded).
    static func magnitudes(_ low: Int, _ high: Int?) -> [String] {
        let lowDigits = String(low).count
        guard let high else {
            // Up to the largest number of low's length, then every longer number.
            let top = lowDigits >= 18 ? Int.max : power(lowDigits) - 1
            return magnitudes(low, top) + ["[1-9] [0-9]{\(lowDigits),}"]
        }
        guard low <= high else { return [] }
        var result: [String] = []
        for length in lowDigits...String(high).count {
            let first = max(low, length == 1 ? 0 : power(length - 1))
            let last = length >= 19 ? high : min(high, power(length) - 1)
            guard first <= last else { continue }
            result += sameLength(Array(String(first)), Array(String(last)))
        }
        return result
    }

    /// Alternatives for the digit strings of one length between `low` and `high`.
    private static func sameLength(_ low: [Character], _ high: [Character]) -> [String] {
        guard let l0 = low.first, let h0 = high.first else { return [""] }
        if low == high { return [#"""# + String(low) + #"""#] }
        let lowRest = Array(low.dropFirst()), highRest = Array(high.dropFirst())
        if l0 == h0 { return sameLength(lowRest, highRest).map { join("\"\(l0)\"", $0) } }
        let n = lowRest.count
        let lowAllZero = lowRest.allSatisfy { $0 == "0" }
        let highAllNine = highRest.allSatisfy { $0 == "9" }
        var result: [String] = []
        if !lowAllZero {
            result += sameLength(lowRest, Array(repeating: "9", count: n)).map { join("\"\(l0)\"", $0) }
        }
        let start = digit(l0) + (lowAllZero ? 0 : 1)
        let end = digit(h0) - (highAllNine ? 0 : 1)
        if start <= end {
            result.append(join("[\(start)-\(end)]", n > 0 ? "[0-9]{\(n)}" : ""))
        }
        if !highAllNine {
            result += sameLength(Array(repeating: "0", count: n), highRest).map { join("\"\(h0)\"", $0) }
        }
        return result
    }

    private static func join(_ a: String, _ b: String) -> String { b.isEmpty ? a : a + " " + b }
    private static func digit(_ c: Character) -> Int { Int(c.asciiValue ?? 48) - 48 }
    private static func power(_ exponent: Int) -> Int {
        var value = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}

/// The `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` of a number schema.
struct NumberBounds {
    var lower: (value: Double, exclusive: Bool)?
    var upper: (value: Double, exclusive: Bool)?

    init(_ map: OrderedMap<TemplateValue>, at pointer: String) throws {
        func number(_ key: String) throws -> Double? {
            switch map[key] {
            case nil: return nil
            case .int(let i)?: return Double(i)
            case .double(let d)? where d.isFinite: return d
            case .bool?: return nil
            default: throw GrammarError.unsupportedSchema(pointer: pointer + "/" + key, message: "'\(key)' must be a number")
            }
        }
        // Draft 4 wrote exclusiveness as booleans beside minimum/maximum.
        let oldLowerExclusive = map["exclusiveMinimum"] == .bool(true)
        let oldUpperExclusive = map["exclusiveMaximum"] == .bool(true)
        if let minimum = try number("minimum") { lower = (minimum, oldLowerExclusive) }
        if let exclusive = try number("exclusiveMinimum"), lower.map({ exclusive >= $0.value }) ?? true {
            lower = (exclusive, true)
        }
        if let maximum = try number("maximum") { upper = (maximum, oldUpperExclusive) }
        if let exclusive = try number("exclusiveMaximum"), upper.map({ exclusive <= $0.value }) ?? true {
            upper = (exclusive, true)
        }
    }

    var isBounded: Bool { lower != nil || upper != nil }

    private static let limit = 1e15

    /// The smallest integer within the bounds: nil when unbounded below, nil inside when the
    /// bound is too large to write.
    var integerLower: Int?? {
        guard let lower else { return .some(nil) }
        guard abs(lower.value) < Self.limit else { return nil }
        var value = lower.value.rounded(.up)
        if lower.exclusive && value == lower.value { value += 1 }
        return .some(Int(value))
    }

    /// The largest integer within the bounds, as ``integerLower``.
    var integerUpper: Int?? {
        guard let upper else { return .some(nil) }
        guard abs(upper.value) < Self.limit else { return nil }
        var value = upper.value.rounded(.down)
        if upper.exclusive && value == upper.value { value -= 1 }
        return .some(Int(value))
    }

    /// An expression for numbers within the bounds (no exponent), or nil when none can be
    /// written.
    func numberExpression() -> String? {
        if let lower, abs(lower.value) >= Self.limit { return nil }
        if let upper, abs(upper.value) >= Self.limit { return nil }
        var alternatives: [String] = []
        // x >= 0.
        if upper.map({ $0.value > 0 || ($0.value == 0 && !$0.exclusive) }) ?? true {
            let low: (value: Double, exclusive: Bool) = lower.map { $0.value >= 0 ? $0 : (0, false) } ?? (0, false)
            alternatives += Self.magnitude(low.value, low.exclusive, upper)
        }
        // x < 0, as "-" and a magnitude m = -x > 0.
        if lower.map({ $0.value < 0 }) ?? true {
            let low: (value: Double, exclusive: Bool) = upper.map { $0.value < 0 ? (-$0.value, $0.exclusive) : (0, true) } ?? (0, true)
            let high = lower.map { (value: -$0.value, exclusive: $0.exclusive) }
            alternatives += Self.magnitude(low.value, low.exclusive, high).map { #""-" "# + $0 }
        }
        guard !alternatives.isEmpty else { return nil }
        return "(" + alternatives.map { "(" + $0 + ")" }.joined(separator: " | ") + ")"
    }

    /// Alternatives for non-negative numbers m with `lower <(=) m <(=) upper`, narrowed to
    /// integer bounds: an integer part in range and any fraction, the lower bound itself with a
    /// non-zero fraction when it is exclusive, the upper bound with a zero fraction.
    private static func magnitude(
        _ lowerValue: Double, _ lowerExclusive: Bool, _ upper: (value: Double, exclusive: Bool)?
    ) -> [String] {
        let fraction = #"("." [0-9]{1,16})?"#
        let nonZeroFraction = #""." [0-9]{0,15} [1-9]"#
        let zeroFraction = #"("." "0"{1,16})?"#
        let isIntegral = lowerValue == lowerValue.rounded()
        let low = Int(lowerValue.rounded(.up))
        let lowExclusive = isIntegral && lowerExclusive
        let start = low + (lowExclusive ? 1 : 0)
        guard let upper else {
            var result = ["(" + IntegerRangeGrammar.magnitudes(start, nil).joined(separator: " | ") + ") " + fraction]
            if lowExclusive { result.append(#"""# + String(low) + #"" "# + nonZeroFraction) }
            return result
        }
        let upperIntegral = upper.value == upper.value.rounded()
        let high = Int(upper.value.rounded(.down))
        let highExclusive = upperIntegral && upper.exclusive
        var result: [String] = []
        if start <= high - 1 {
            result.append("(" + IntegerRangeGrammar.magnitudes(start, high - 1).joined(separator: " | ") + ") " + fraction)
        }
        if lowExclusive && low < high { result.append(#"""# + String(low) + #"" "# + nonZeroFraction) }
        if !highExclusive && high >= start { result.append(#"""# + String(high) + #"" "# + zeroFraction) }
        return result
    }
}
