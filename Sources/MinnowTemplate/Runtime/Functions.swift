import Foundation

/// Global functions and the Python methods templates may call on strings, lists and dicts.
enum Functions {
    /// Globals of Hugging Face's environment (jinja2's defaults that make sense here, plus
    /// `raise_exception` and `strftime_now`).
    static let globalNames: [String] = ["raise_exception", "strftime_now", "namespace", "range", "dict"]

    static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "startswith", "endswith", "replace",
        "upper", "lower", "title", "capitalize", "find", "rfind", "index", "count", "join",
        "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "format",
    ]
    static let dictMethods: Set<String> = ["items", "keys", "values", "get"]
    static let listMethods: Set<String> = ["index", "count"]
    /// Methods that would mutate a value; the immutable sandbox refuses them.
    static let unsafeMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",
        "update", "setdefault", "popitem",
    ]

    static func unsafe(_ name: String, _ object: Value, line: Int) -> TemplateError {
        .runtime("access to attribute '\(name)' of '\(object.typeName)' object is unsafe", line: line)
    }
}

extension Renderer {
    func callFunction(_ name: String, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        switch name {
        case "raise_exception":
            let message = try arguments.value(0, "message").map { (value) throws(TemplateError) in
                try PythonFormat.str(value, budget, line: line)
            } ?? ""
            throw TemplateError(.raised, message, line: line)
        case "namespace", "dict":
            var map = OrderedMap<Value>()
            if let first = arguments.positional.first {
                guard case .dict(let initial) = first else {
                    throw .runtime("\(name)() expects keyword arguments or a dict", line: line)
                }
                map = initial
            }
            for (key, value) in arguments.keyword { map[key] = value }
            try budget.admit(map: map, name, line: line)
            if name == "dict" { return .dict(map) }
            namespaces.append(map)
            return .namespace(namespaces.count - 1)
        case "range":
            var bounds: [Int] = []
            for value in arguments.positional {
                switch value {
                case .int(let number): bounds.append(number)
                case .bool(let flag): bounds.append(flag ? 1 : 0)
                default: throw .runtime("'\(value.typeName)' object cannot be interpreted as an integer", line: line)
                }
            }
            let (start, stop, step): (Int, Int, Int)
            switch bounds.count {
            case 1: (start, stop, step) = (0, bounds[0], 1)
            case 2: (start, stop, step) = (bounds[0], bounds[1], 1)
            case 3: (start, stop, step) = (bounds[0], bounds[1], bounds[2])
            default: throw .runtime("range expected 1 to 3 arguments, got \(bounds.count)", line: line)
            }
            if step == 0 { throw .runtime("range() arg 3 must not be zero", line: line) }
            let span = step > 0 ? stop.subtractingReportingOverflow(start) : start.subtractingReportingOverflow(stop)
            let magnitude = step > 0 ? step : -(step == Int.min ? Int.max : step)
            let count = span.overflow ? Int.max : (span.partialValue <= 0 ? 0 : (span.partialValue - 1) / magnitude + 1)
            guard count <= Self.maximumRange else {
                throw TemplateError(.limitExceeded, "range too big; the sandbox allows at most \(Self.maximumRange) items", line: line)
            }
            try budget.admit(count, of: SizeBudget.elementBytes, "range", line: line)
            return .list((0..<count).map { .int(start + $0 * step) })
        case "strftime_now":
            guard case .string(let format) = arguments.value(0, "format") ?? .undefined("format") else {
                throw .runtime("strftime_now() expects a format string", line: line)
            }
            // Each directive of two characters writes at most nine ("September").
            try budget.admit(format.utf8.count, of: 5, "strftime_now text", line: line)
            return .string(Strftime.format(now, format))
        default:
            throw .runtime("'\(name)' is not callable", line: line)
        }
    }

    func callMethod(_ name: String, on receiver: Value, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        switch receiver {
        case .string(let text):
            return try callStringMethod(name, text, arguments, line: line)
        case .dict(let map):
            switch name {
            case "items": return try itemPairs(map, line: line)
            case "keys": return .list(map.keys.map { .string($0) })
            case "values": return .list(map.values)
            default:
                guard case .string(let key) = arguments.value(0, "key") ?? .none else {
                    return arguments.value(1, "default") ?? .none
                }
                return map[key] ?? arguments.value(1, "default") ?? .none
            }
        case .list(let items), .tuple(let items):
            let element = arguments.value(0, "value") ?? .none
            try budget.spend(items.count * SizeBudget.elementBytes, line: line)
            if name == "count" { return .int(items.filter { Operators.equal($0, element) }.count) }
            guard let index = items.firstIndex(where: { Operators.equal($0, element) }) else {
                throw .runtime("\(PythonFormat.preview(element)) is not in list", line: line)
            }
            return .int(index)
        case .loop(let state) where name == "cycle":
            guard !arguments.positional.isEmpty else { throw .runtime("no items for cycling given", line: line) }
            return arguments.positional[state.index0 % arguments.positional.count]
        default:
            throw .runtime("'\(receiver.typeName)' object has no method '\(name)'", line: line)
        }
    }

    /// The parts of a split string as a list, admitted by the budget.
    private func parts(_ pieces: [String], line: Int) throws(TemplateError) -> Value {
        let list = pieces.map { Value.string($0) }
        try budget.admit(list: list, "list of parts", line: line)
        return .list(list)
    }

    private func stringArgument(_ arguments: CallArguments, _ index: Int, _ name: String, method: String, line: Int) throws(TemplateError) -> String? {
        switch arguments.value(index, name) {
        case nil, .none?: return nil
        case .string(let text)?: return text
        case let other?:
            throw .runtime("\(method)() argument must be str or None, not \(other.typeName)", line: line)
        }
    }

    private func intArgument(_ arguments: CallArguments, _ index: Int, _ name: String, default fallback: Int, line: Int) throws(TemplateError) -> Int {
        switch arguments.value(index, name) {
        case nil: return fallback
        case .int(let number)?: return number
        case .bool(let flag)?: return flag ? 1 : 0
        case let other?:
            throw .runtime("'\(other.typeName)' object cannot be interpreted as an integer", line: line)
        }
    }

    private func callStringMethod(_ name: String, _ text: String, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        switch name {
        case "strip", "lstrip", "rstrip":
            try budget.spend(text.utf8.count, line: line)
            let chars = try stringArgument(arguments, 0, "chars", method: name, line: line)
            return .string(PythonStrings.strip(text, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let separator = try stringArgument(arguments, 0, "sep", method: name, line: line)
            let maxSplits = try intArgument(arguments, 1, "maxsplit", default: -1, line: line)
            guard let separator else {
                if name == "rsplit", maxSplits >= 0 {
                    let reversedParts = try PythonStrings.splitWhitespace(String(String.UnicodeScalarView(text.unicodeScalars.reversed())),
                                                                          maxSplits: maxSplits, budget, line: line)
                    return try parts(reversedParts.reversed().map { String(String.UnicodeScalarView($0.unicodeScalars.reversed())) }, line: line)
                }
                return try parts(try PythonStrings.splitWhitespace(text, maxSplits: maxSplits, budget, line: line), line: line)
            }
            if separator.isEmpty { throw .runtime("empty separator", line: line) }
            let pieces = name == "split"
                ? try PythonStrings.split(text, separator: separator, maxSplits: maxSplits, budget, line: line)
                : try PythonStrings.rsplit(text, separator: separator, maxSplits: maxSplits, budget, line: line)
            return try parts(pieces, line: line)
        case "splitlines":
            return try parts(try PythonStrings.splitLines(text, budget, line: line), line: line)
        case "startswith", "endswith":
            let candidates: [Value]
            switch arguments.value(0, "prefix") {
            case .tuple(let items)?, .list(let items)?: candidates = items
            case let single?: candidates = [single]
            case nil: throw .runtime("\(name)() takes at least 1 argument", line: line)
            }
            for candidate in candidates {
                guard case .string(let affix) = candidate else {
                    throw .runtime("\(name) first arg must be str or a tuple of str, not \(candidate.typeName)", line: line)
                }
                if name == "startswith" ? PythonStrings.hasPrefix(text, affix) : PythonStrings.hasSuffix(text, affix) {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "replace":
            guard case .string(let old)? = arguments.value(0, "old"), case .string(let new)? = arguments.value(1, "new") else {
                throw .runtime("replace() arguments must be str", line: line)
            }
            let count = try intArgument(arguments, 2, "count", default: -1, line: line)
            return try building("replaced string", line: line) { (out) throws(TemplateError) in
                try PythonStrings.replace(text, old, new, count: count, into: &out)
            }
        case "upper", "lower":
            return try building("\(name)case string", line: line) { (out) throws(TemplateError) in
                try PythonStrings.map(text, name == "upper" ? PythonStrings.upper : PythonStrings.lower, into: &out)
            }
        case "title":
            return try building("title-case string", line: line) { (out) throws(TemplateError) in try PythonStrings.title(text, into: &out) }
        case "capitalize":
            return try building("capitalized string", line: line) { (out) throws(TemplateError) in try PythonStrings.capitalize(text, into: &out) }
        case "find", "rfind", "index", "count":
            guard case .string(let needle)? = arguments.value(0, "sub") else {
                throw .runtime("\(name)() argument must be str", line: line)
            }
            try budget.spend(text.utf8.count, line: line)
            let bytes = Array(text.utf8)
            if name == "count" {
                if needle.isEmpty { return .int(text.unicodeScalars.count + 1) }
                return .int(PythonStrings.occurrences(of: Array(needle.utf8), in: bytes).count)
            }
            var offset: Int?
            if needle.isEmpty {
                offset = name == "rfind" ? bytes.count : 0
            } else if name == "rfind" {
                let needleBytes = Array(needle.utf8)
                var i = bytes.count - needleBytes.count
                offset = nil
                while i >= 0 {
                    if bytes[i..<i + needleBytes.count].elementsEqual(needleBytes) { offset = i; break }
                    i -= 1
                }
            } else {
                offset = PythonStrings.occurrences(of: Array(needle.utf8), in: bytes, limit: 1).first
            }
            guard let offset else {
                if name == "index" { throw .runtime("substring not found", line: line) }
                return .int(-1)
            }
            return .int(PythonStrings.codePointIndex(text, byteOffset: offset))
        case "join":
            let items = try iterate(arguments.value(0, "iterable") ?? .undefined("iterable"), line: line)
            return try building("joined string", line: line) { (out) throws(TemplateError) in
                for (index, item) in items.enumerated() {
                    guard case .string(let part) = item else {
                        throw .runtime("sequence item \(index): expected str instance, \(item.typeName) found", line: line)
                    }
                    if index > 0 { try out.append(text) }
                    try out.append(part)
                }
            }
        case "format":
            return .string(try PythonFormat.format(text, positional: arguments.positional, keyword: arguments.keyword, budget, line: line))
        case "isdigit":
            return .bool(!text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.numericType == .decimal || $0.properties.numericType == .digit })
        case "isalpha":
            return .bool(!text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isalnum":
            return .bool(!text.isEmpty && text.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "isspace":
            return .bool(!text.isEmpty && text.unicodeScalars.allSatisfy(PythonCharacters.isSpace))
        case "isupper", "islower":
            let cased = text.unicodeScalars.filter(PythonStrings.isCased)
            let check: (Unicode.Scalar) -> Bool = name == "isupper"
                ? { $0.properties.isUppercase || !$0.properties.changesWhenUppercased }
                : { $0.properties.isLowercase || !$0.properties.changesWhenLowercased }
            return .bool(!cased.isEmpty && cased.allSatisfy(check))
        default:
            throw .runtime("'str' object has no method '\(name)'", line: line)
        }
    }
}

/// A small `strftime` for `strftime_now`, in the local time zone like Python's `datetime.now()`.
enum Strftime {
    private static let months = ["January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func format(_ date: Date, _ format: String) -> String {
        let calendar = Calendar(identifier: .gregorian)
        let parts = calendar.dateComponents(in: TimeZone.current, from: date)
        let year = parts.year ?? 1970, month = parts.month ?? 1, day = parts.day ?? 1
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0, second = parts.second ?? 0
        let weekday = (parts.weekday ?? 1) - 1
        func pad(_ number: Int, _ width: Int = 2) -> String {
            let text = String(number)
            return String(repeating: "0", count: Swift.max(0, width - text.count)) + text
        }
        var out = ""
        var escape = false
        for character in format {
            if !escape {
                if character == "%" { escape = true } else { out.append(character) }
                continue
            }
            escape = false
            switch character {
            case "Y": out += String(year)
            case "y": out += pad(year % 100)
            case "m": out += pad(month)
            case "d": out += pad(day)
            case "e": out += (day < 10 ? " " : "") + String(day)
            case "B": out += months[month - 1]
            case "b", "h": out += String(months[month - 1].prefix(3))
            case "A": out += weekdays[weekday]
            case "a": out += String(weekdays[weekday].prefix(3))
            case "H": out += pad(hour)
            case "I": out += pad(hour % 12 == 0 ? 12 : hour % 12)
            case "p": out += hour < 12 ? "AM" : "PM"
            case "M": out += pad(minute)
            case "S": out += pad(second)
            case "j": out += pad(calendar.ordinality(of: .day, in: .year, for: date) ?? 1, 3)
            case "%": out += "%"
            default: out += "%" + String(character)
            }
        }
        if escape { out += "%" }
        return out
    }
}
