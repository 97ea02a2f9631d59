/// Python's `str()` and `repr()` of template values, which is what `{{ value }}` prints.
enum PythonFormat {
    /// `str(value)` built under `budget`; undefined prints as the empty string.
    static func str(_ value: Value, _ budget: SizeBudget, line: Int) throws(TemplateError) -> String {
        switch value {
        case .undefined: return ""
        case .string(let text): return text
        default: return try repr(value, budget, line: line)
        }
    }

    /// `repr(value)` built under `budget`.
    static func repr(_ value: Value, _ budget: SizeBudget, line: Int) throws(TemplateError) -> String {
        var builder = TextBuilder(budget, "printed value", line: line)
        try write(value, into: &builder)
        return try builder.finish()
    }

    /// `repr(value)` for an error message: cut short after a few hundred bytes.
    static func preview(_ value: Value) -> String {
        var builder = TextBuilder(SizeBudget(valueLimit: 256, totalLimit: 256), "preview", line: 0)
        do {
            try write(value, into: &builder)
        } catch {
            return builder.text + "..."
        }
        return builder.text
    }

    /// `str(value)` of a number, bool or None (a dict key): short, so not budgeted.
    static func key(_ value: Value) -> String {
        preview(value)
    }

    /// Writes `str(value)` into `builder`.
    static func writeStr(_ value: Value, into builder: inout TextBuilder) throws(TemplateError) {
        switch value {
        case .undefined: return
        case .string(let text): try builder.append(text)
        default: try write(value, into: &builder)
        }
    }

    /// Writes `repr(value)` into `builder`, checking the size at every piece.
    static func write(_ value: Value, into builder: inout TextBuilder) throws(TemplateError) {
        switch value {
        case .undefined: try builder.append("Undefined")
        case .none: try builder.append("None")
        case .bool(let flag): try builder.append(flag ? "True" : "False")
        case .int(let number): try builder.append(String(number))
        case .double(let number): try builder.append(float(number))
        case .string(let text): try writeStringRepr(text, into: &builder)
        case .list(let items):
            try builder.append("[")
            try writeItems(items, into: &builder)
            try builder.append("]")
        case .tuple(let items):
            try builder.append("(")
            try writeItems(items, into: &builder)
            try builder.append(items.count == 1 ? ",)" : ")")
        case .dict(let map):
            try builder.append("{")
            for (index, entry) in map.entries.enumerated() {
                if index > 0 { try builder.append(", ") }
                try writeStringRepr(entry.key, into: &builder)
                try builder.append(": ")
                try write(entry.value, into: &builder)
            }
            try builder.append("}")
        case .namespace: try builder.append("<Namespace>")
        case .macro(let macro): try builder.append("<Macro '\(macro.name)'>")
        case .function(let name): try builder.append("<built-in function \(name)>")
        case .method(_, let name): try builder.append("<built-in method \(name)>")
        case .loop(let state): try builder.append("<LoopContext \(state.index0 + 1)/\(state.length)>")
        }
    }

    private static func writeItems(_ items: [Value], into builder: inout TextBuilder) throws(TemplateError) {
        for (index, item) in items.enumerated() {
            if index > 0 { try builder.append(", ") }
            try write(item, into: &builder)
        }
    }

    /// Python's `repr` of a string, for an error message (cut short like ``preview(_:)``).
    static func stringRepr(_ text: String) -> String {
        preview(.string(text))
    }

    /// Python's `repr` of a string: single quotes unless the text holds `'` and no `"`.
    static func writeStringRepr(_ text: String, into builder: inout TextBuilder) throws(TemplateError) {
        let useDouble = text.unicodeScalars.contains("'") && !text.unicodeScalars.contains("\"")
        let quote: Unicode.Scalar = useDouble ? "\"" : "'"
        try builder.append(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": try builder.append("\\\\")
            case "\n": try builder.append("\\n")
            case "\r": try builder.append("\\r")
            case "\t": try builder.append("\\t")
            case quote: try builder.append("\\"); try builder.append(scalar)
            default:
                if PythonCharacters.isPrintable(scalar) {
                    try builder.append(scalar)
                } else {
                    let hex = String(scalar.value, radix: 16)
                    let (prefix, width) = scalar.value < 0x100 ? ("\\x", 2) : scalar.value < 0x10000 ? ("\\u", 4) : ("\\U", 8)
                    try builder.append(prefix + String(repeating: "0", count: width - hex.count) + hex)
                }
            }
        }
        try builder.append(quote)
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
