/// Python's `str()` and `repr()` of template values, which is what `{{ value }}` prints.
enum PythonFormat {
    /// `str(value)`; undefined prints as the empty string.
    static func str(_ value: Value) -> String {
        switch value {
        case .undefined: return ""
        case .string(let text): return text
        default: return repr(value)
        }
    }

    /// `repr(value)`.
    static func repr(_ value: Value) -> String {
        switch value {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return String(number)
        case .double(let number): return float(number)
        case .string(let text): return stringRepr(text)
        case .list(let items): return "[" + items.map(repr).joined(separator: ", ") + "]"
        case .tuple(let items):
            return items.count == 1 ? "(" + repr(items[0]) + ",)" : "(" + items.map(repr).joined(separator: ", ") + ")"
        case .dict(let map):
            return "{" + map.entries.map { stringRepr($0.key) + ": " + repr($0.value) }.joined(separator: ", ") + "}"
        case .namespace: return "<Namespace>"
        case .macro(let macro): return "<Macro '\(macro.name)'>"
        case .function(let name): return "<built-in function \(name)>"
        case .method(_, let name): return "<built-in method \(name)>"
        case .loop(let state): return "<LoopContext \(state.index0 + 1)/\(state.length)>"
        }
    }

    /// Python's `repr` of a string: single quotes unless the text holds `'` and no `"`.
    static func stringRepr(_ text: String) -> String {
        let useDouble = text.unicodeScalars.contains("'") && !text.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = useDouble ? "\"" : "'"
        var out = String.UnicodeScalarView()
        out.append(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case quote: out.append("\\"); out.append(scalar)
            default:
                if PythonCharacters.isPrintable(scalar) {
                    out.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16)
                    let (prefix, width) = scalar.value < 0x100 ? ("\\x", 2) : scalar.value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
                    out.append(contentsOf: (prefix + String(repeating: "0", count: width - hex.count) + hex).unicodeScalars)
                }
            }
        }
        out.append(quote)
        return String(out)
    }

    /// Python's `repr(float)`: shortest round-trip digits, scientific below 1e-4 and from 1e16.
    static func float(_ number: Double) -> String {
        if number.isNaN { return "nan" }
        if number.isInfinite { return number < 0 ? "-inf" : "inf" }
        let negative = number.sign == .minus
        var text = Swift.abs(number).description
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = parts.first.map(String.init) ?? "0"
        let fractionPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(integerPart + fractionPart)
        var point = integerPart.count + exponent
        while let first = digits.first, first == "0" { digits.removeFirst(); point -= 1 }
        while let last = digits.last, last == "0" { digits.removeLast() }
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0.0" }
        let scientific = point - 1
        if scientific < -4 || scientific >= 16 {
            var mantissa = String(digits[0])
            if digits.count > 1 { mantissa += "." + String(digits[1...]) }
            let magnitude = Swift.abs(scientific)
            return sign + mantissa + "e" + (scientific < 0 ? "-" : "+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + String(digits)
        }
        if point >= digits.count {
            return sign + String(digits) + String(repeating: "0", count: point - digits.count) + ".0"
        }
        return sign + String(digits[..<point]) + "." + String(digits[point...])
    }
}
