/// Python's `json.dumps` as Hugging Face's `tojson` filter calls it (`ensure_ascii=False`).
struct JSONEncoding {
    /// The indentation unit, or nil for single-line output.
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys: Bool
    var line: Int

    func encode(_ value: Value, level: Int = 0) throws(TemplateError) -> String {
        switch value {
        case .none: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
            return PythonFormat.float(number)
        case .string(let text): return Self.quote(text)
        case .list(let items), .tuple(let items):
            if items.isEmpty { return "[]" }
            var parts: [String] = []
            for item in items { parts.append(try encode(item, level: level + 1)) }
            return wrap(parts, open: "[", close: "]", level: level)
        case .dict(let map):
            if map.isEmpty { return "{}" }
            var entries = map.entries
            if sortKeys {
                entries.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) { $0.value < $1.value } }
            }
            var parts: [String] = []
            for entry in entries {
                parts.append(Self.quote(entry.key) + keySeparator + (try encode(entry.value, level: level + 1)))
            }
            return wrap(parts, open: "{", close: "}", level: level)
        case .undefined, .namespace, .macro, .function, .method, .loop:
            throw .runtime("Object of type \(value.typeName) is not JSON serializable", line: line)
        }
    }

    private func wrap(_ parts: [String], open: String, close: String, level: Int) -> String {
        guard let indent else { return open + parts.joined(separator: itemSeparator) + close }
        let inner = "\n" + String(repeating: indent, count: level + 1)
        let outer = "\n" + String(repeating: indent, count: level)
        return open + inner + parts.joined(separator: itemSeparator + inner) + outer + close
    }

    /// A JSON string literal; non-ASCII text is kept as is.
    static func quote(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": out.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            case "\u{08}": out.append(contentsOf: "\\b".unicodeScalars)
            case "\u{0C}": out.append(contentsOf: "\\f".unicodeScalars)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        out.append("\"")
        return String(out)
    }
}
