import Foundation

/// Python's two string-formatting mini-languages: `format % values` and `str.format(...)`.
extension PythonFormat {
    private static func integer(_ value: Value, conversion: Unicode.Scalar, line: Int) throws(TemplateError) -> Int {
        switch value {
        case .int(let number): return number
        case .bool(let flag): return flag ? 1 : 0
        case .double(let number) where number.isFinite && Swift.abs(number) < 9.2e18: return Int(number)
        default:
            throw .runtime("%\(conversion) format: a real number is required, not \(value.typeName)", line: line)
        }
    }

    private static func real(_ value: Value, line: Int) throws(TemplateError) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .bool(let flag): return flag ? 1 : 0
        case .double(let number): return number
        default: throw .runtime("must be real number, not \(value.typeName)", line: line)
        }
    }

    /// Writes `text` padded with spaces to `width` code points.
    private static func pad(_ text: String, width: Int?, leftAlign: Bool, into out: inout TextBuilder) throws(TemplateError) {
        let missing = Swift.max(0, (width ?? 0) - text.unicodeScalars.count)
        if !leftAlign { try out.append(" ", repeated: missing) }
        try out.append(text)
        if leftAlign { try out.append(" ", repeated: missing) }
    }

    /// `value * 10 + digit` for a width or precision being read, saturating at `Int.max` (which
    /// ``check(_:_:line:)`` then refuses) instead of trapping on overflow.
    private static func appendDigit(_ value: Int?, _ digit: Int) -> Int {
        let (shifted, overflow) = (value ?? 0).multipliedReportingOverflow(by: 10)
        let (sum, carry) = shifted.addingReportingOverflow(digit)
        return overflow || carry ? Int.max : sum
    }

    /// Refuses a width or precision no value could be built with.
    private static func check(_ number: Int?, _ budget: SizeBudget, line: Int) throws(TemplateError) {
        if let number, number > budget.valueLimit { throw budget.refusal("formatted field", line: line) }
    }

    /// An integer in `radix` with sign, `#` prefix and zero padding per printf flags.
    private static func formatInteger(_ number: Int, radix: Int, uppercase: Bool, flags: String, width: Int?, alternate: String) -> String {
        // The caller has checked `width` against the budget.
        var digits = String(number.magnitude, radix: radix, uppercase: uppercase)
        if flags.contains("#") { digits = alternate + digits }
        let sign = number < 0 ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : ""
        if flags.contains("0"), !flags.contains("-"), let width, width > sign.count + digits.count {
            digits = String(repeating: "0", count: width - sign.count - digits.count) + digits
        }
        return sign + digits
    }

    /// `format % values`.
    static func percent(_ format: String, _ values: Value, _ budget: SizeBudget, line: Int) throws(TemplateError) -> String {
        var arguments: [Value]
        var mapping: OrderedMap<Value>?
        switch values {
        case .tuple(let items): arguments = items
        case .dict(let map): arguments = [values]; mapping = map
        default: arguments = [values]
        }
        var next = 0
        var out = TextBuilder(budget, "formatted string", line: line)
        let scalars = Array(format.unicodeScalars)
        var i = 0
        func digits() -> Int? {
            var value: Int?
            while i < scalars.count, let digit = Int(String(scalars[i])), scalars[i].isASCII {
                value = appendDigit(value, digit)
                i += 1
            }
            return value
        }
        while i < scalars.count {
            let scalar = scalars[i]
            i += 1
            if scalar != "%" { try out.append(scalar); continue }
            var key: String?
            if i < scalars.count, scalars[i] == "(" {
                guard let close = scalars[i...].firstIndex(of: ")") else { throw .runtime("incomplete format key", line: line) }
                key = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
                i = close + 1
            }
            var flags = ""
            while i < scalars.count, "-+ #0".unicodeScalars.contains(scalars[i]) { flags.unicodeScalars.append(scalars[i]); i += 1 }
            let width = digits()
            var precision: Int?
            if i < scalars.count, scalars[i] == "." { i += 1; precision = digits() ?? 0 }
            try check(width, budget, line: line)
            try check(precision, budget, line: line)
            guard i < scalars.count else { throw .runtime("incomplete format", line: line) }
            let conversion = scalars[i]
            i += 1
            if conversion == "%" { try out.append("%"); continue }
            let argument: Value
            if let key {
                guard let mapping else { throw .runtime("format requires a mapping", line: line) }
                guard let value = mapping[key] else { throw .runtime("KeyError: \(stringRepr(key))", line: line) }
                argument = value
            } else {
                guard next < arguments.count else { throw .runtime("not enough arguments for format string", line: line) }
                argument = arguments[next]
                next += 1
            }
            let leftAlign = flags.contains("-")
            switch conversion {
            case "s", "r", "a":
                var text = conversion == "s" ? try str(argument, budget, line: line) : try repr(argument, budget, line: line)
                if let precision { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision))) }
                try pad(text, width: width, leftAlign: leftAlign, into: &out)
            case "d", "i", "u":
                let number = try integer(argument, conversion: conversion, line: line)
                try pad(formatInteger(number, radix: 10, uppercase: false, flags: flags, width: width, alternate: ""),
                        width: width, leftAlign: leftAlign, into: &out)
            case "x", "X", "o":
                let number = try integer(argument, conversion: conversion, line: line)
                let radix = conversion == "o" ? 8 : 16
                let prefix = conversion == "o" ? "0o" : conversion == "x" ? "0x" : "0X"
                try pad(formatInteger(number, radix: radix, uppercase: conversion == "X", flags: flags, width: width, alternate: prefix),
                        width: width, leftAlign: leftAlign, into: &out)
            case "f", "F", "e", "E", "g", "G":
                let number = try real(argument, line: line)
                let spec = "%" + flags + (width.map(String.init) ?? "") + "." + String(precision ?? 6) + String(conversion)
                try out.append(String(format: spec, number))
            case "c":
                let text: String
                switch argument {
                case .int(let code):
                    guard let scalar = Unicode.Scalar(UInt32(clamping: code)) else { throw .runtime("%c arg not in range", line: line) }
                    text = String(scalar)
                case .string(let string) where string.unicodeScalars.count == 1: text = string
                default: throw .runtime("%c requires an int or a unicode character", line: line)
                }
                try pad(text, width: width, leftAlign: leftAlign, into: &out)
            default:
                throw .runtime("unsupported format character '\(conversion)'", line: line)
            }
        }
        if mapping == nil, next < arguments.count {
            throw .runtime("not all arguments converted during string formatting", line: line)
        }
        return try out.finish()
    }

    /// `template.format(*positional, **keyword)` with plain, indexed and named fields,
    /// `!r`/`!s` conversions and `[[fill]align][sign][0][width][.precision][type]` specs.
    static func format(_ template: String, positional: [Value], keyword: [(String, Value)], _ budget: SizeBudget,
                       line: Int) throws(TemplateError) -> String {
        let scalars = Array(template.unicodeScalars)
        var out = TextBuilder(budget, "formatted string", line: line)
        var automatic = 0
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            if scalar == "}" {
                guard i + 1 < scalars.count, scalars[i + 1] == "}" else {
                    throw .runtime("Single '}' encountered in format string", line: line)
                }
                try out.append("}")
                i += 2
                continue
            }
            guard scalar == "{" else { try out.append(scalar); i += 1; continue }
            if i + 1 < scalars.count, scalars[i + 1] == "{" { try out.append("{"); i += 2; continue }
            guard let close = scalars[i...].firstIndex(of: "}") else {
                throw .runtime("Single '{' encountered in format string", line: line)
            }
            var field = String(String.UnicodeScalarView(scalars[(i + 1)..<close]))
            i = close + 1
            var spec = ""
            if let colon = field.firstIndex(of: ":") {
                spec = String(field[field.index(after: colon)...])
                field = String(field[..<colon])
            }
            var conversion: Character?
            if let bang = field.firstIndex(of: "!") {
                conversion = field[field.index(after: bang)...].first
                field = String(field[..<bang])
            }
            let value: Value
            if field.isEmpty {
                guard automatic < positional.count else { throw .runtime("Replacement index \(automatic) out of range", line: line) }
                value = positional[automatic]
                automatic += 1
            } else if let index = Int(field) {
                guard index >= 0, index < positional.count else { throw .runtime("Replacement index \(index) out of range", line: line) }
                value = positional[index]
            } else {
                guard let found = keyword.first(where: { $0.0 == field })?.1 else { throw .runtime("KeyError: \(stringRepr(field))", line: line) }
                value = found
            }
            let converted: Value = conversion == "r" ? .string(try repr(value, budget, line: line))
                : conversion == "s" ? .string(try str(value, budget, line: line)) : value
            try applySpec(spec, to: converted, budget, into: &out)
        }
        return try out.finish()
    }

    private static func applySpec(_ spec: String, to value: Value, _ budget: SizeBudget, into out: inout TextBuilder) throws(TemplateError) {
        let line = out.line
        var scalars = Array(spec.unicodeScalars)
        var fill: Unicode.Scalar = " "
        var align: Unicode.Scalar?
        let aligns: Set<Unicode.Scalar> = ["<", ">", "^", "="]
        if scalars.count >= 2, aligns.contains(scalars[1]) {
            fill = scalars[0]; align = scalars[1]; scalars.removeFirst(2)
        } else if let first = scalars.first, aligns.contains(first) {
            align = first; scalars.removeFirst()
        }
        var sign = ""
        if let first = scalars.first, "+- ".unicodeScalars.contains(first) { sign = String(first); scalars.removeFirst() }
        if scalars.first == "0" { if align == nil { fill = "0"; align = "=" }; scalars.removeFirst() }
        var width: Int?
        while let first = scalars.first, first.isASCII, let digit = Int(String(first)) { width = appendDigit(width, digit); scalars.removeFirst() }
        var precision: Int?
        if scalars.first == "." {
            scalars.removeFirst()
            precision = 0
            while let first = scalars.first, first.isASCII, let digit = Int(String(first)) { precision = appendDigit(precision, digit); scalars.removeFirst() }
        }
        try check(width, budget, line: line)
        try check(precision, budget, line: line)
        let type = scalars.first
        if scalars.count > 1 { throw .runtime("Invalid format specifier '\(spec)'", line: line) }
        var body: String
        var isNumber = false
        switch (type, value) {
        case (nil, .string(let text)), ("s", .string(let text)):
            body = precision.map { String(String.UnicodeScalarView(text.unicodeScalars.prefix($0))) } ?? text
        case (nil, .int(let number)), ("d", .int(let number)):
            isNumber = true
            body = String(number.magnitude)
            if number < 0 { sign = "-" } else if sign == "-" { sign = "" }
        case ("f", _), ("F", _), ("e", _), ("E", _), ("g", _), ("G", _), ("%", _):
            isNumber = true
            let number: Double
            switch value {
            case .int(let integer): number = Double(integer)
            case .double(let double): number = double
            case .bool(let flag): number = flag ? 1 : 0
            default: throw .runtime("Unknown format code '\(type.map(String.init) ?? "")' for object of type '\(value.typeName)'", line: line)
            }
            let scaled = type == "%" ? number * 100 : number
            body = String(format: "%." + String(precision ?? 6) + (type == "%" ? "f" : String(type ?? "f")), Swift.abs(scaled)) + (type == "%" ? "%" : "")
            if scaled < 0 { sign = "-" } else if sign == "-" { sign = "" }
        case (nil, _):
            body = try str(value, budget, line: line)
            isNumber = { if case .double = value { return true }; if case .bool = value { return false }; return false }()
            if isNumber, body.hasPrefix("-") { body.removeFirst(); sign = "-" } else if sign == "-" { sign = "" }
        default:
            throw .runtime("Unknown format code '\(type.map(String.init) ?? "")' for object of type '\(value.typeName)'", line: line)
        }
        let content = sign + body
        let missing = Swift.max(0, (width ?? 0) - content.unicodeScalars.count)
        let fillText = String(fill)
        switch align ?? (isNumber ? ">" : "<") {
        case "<":
            try out.append(content)
            try out.append(fillText, repeated: missing)
        case "^":
            try out.append(fillText, repeated: missing / 2)
            try out.append(content)
            try out.append(fillText, repeated: missing - missing / 2)
        case "=":
            try out.append(sign)
            try out.append(fillText, repeated: missing)
            try out.append(body)
        default:
            try out.append(fillText, repeated: missing)
            try out.append(content)
        }
    }
}
