/// Python's `json.dumps` as Hugging Face's `tojson` filter calls it (`ensure_ascii=False`).
struct JSONEncoding {
    /// The indentation unit, or nil for single-line output.
    var indent: String?
    var itemSeparator: String
    var keySeparator: String
    var sortKeys: Bool

    /// Writes the JSON text of `value` into `out`, checking the size at every piece.
    func encode(_ value: Value, level: Int = 0, into out: inout TextBuilder) throws(TemplateError) {
        switch value {
        case .none: try out.append("null")
        case .bool(let flag): try out.append(flag ? "true" : "false")
        case .int(let number): try out.append(String(number))
        case .double(let number):
            if number.isNaN { try out.append("NaN") } else if number.isInfinite {
                try out.append(number < 0 ? "-Infinity" : "Infinity")
            } else {
                try out.append(PythonFormat.float(number))
            }
        case .string(let text): try Self.quote(text, into: &out)
        case .list(let items), .tuple(let items):
            if items.isEmpty { return try out.append("[]") }
            try out.append("[")
            for (index, item) in items.enumerated() {
                try separate(index, level: level, into: &out)
                try encode(item, level: level + 1, into: &out)
            }
            try close("]", level: level, into: &out)
        case .dict(let map):
            if map.isEmpty { return try out.append("{}") }
            var entries = map.entries
            if sortKeys {
                entries.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) { $0.value < $1.value } }
            }
            try out.append("{")
            for (index, entry) in entries.enumerated() {
                try separate(index, level: level, into: &out)
                try Self.quote(entry.key, into: &out)
                try out.append(keySeparator)
                try encode(entry.value, level: level + 1, into: &out)
            }
            try close("}", level: level, into: &out)
        case .undefined, .namespace, .macro, .function, .method, .loop:
            throw .runtime("Object of type \(value.typeName) is not JSON serializable", line: out.line)
        }
    }

    /// What goes before item `index` of a container at `level`.
    private func separate(_ index: Int, level: Int, into out: inout TextBuilder) throws(TemplateError) {
        if index > 0 { try out.append(itemSeparator) }
        guard let indent else { return }
        try out.append("\n")
        try out.append(indent, repeated: level + 1)
    }

    /// Closes a container at `level`.
    private func close(_ bracket: String, level: Int, into out: inout TextBuilder) throws(TemplateError) {
        if let indent {
            try out.append("\n")
            try out.append(indent, repeated: level)
        }
        try out.append(bracket)
    }

    /// A JSON string literal; non-ASCII text is kept as is.
    static func quote(_ text: String, into builder: inout TextBuilder) throws(TemplateError) {
        try builder.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": try builder.append("\\\"")
            case "\\": try builder.append("\\\\")
            case "\n": try builder.append("\\n")
            case "\r": try builder.append("\\r")
            case "\t": try builder.append("\\t")
            case "\u{08}": try builder.append("\\b")
            case "\u{0C}": try builder.append("\\f")
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    try builder.append(("\\u" + String(repeating: "0", count: 4 - hex.count) + hex))
                } else {
                    try builder.append(scalar)
                }
            }
        }
        try builder.append("\"")
    }
}
