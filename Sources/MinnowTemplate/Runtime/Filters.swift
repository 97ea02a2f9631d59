import Foundation

/// The filters of jinja2 that chat templates use, with Hugging Face's `tojson`.
enum Filters {
    static let names: Set<String> = [
        "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first", "float",
        "forceescape", "indent", "int", "items", "join", "last", "length", "list", "lower", "map", "max", "min",
        "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort", "string",
        "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
    ]
}

extension Renderer {
    private func text(_ value: Value, _ line: Int) throws(TemplateError) -> String {
        try PythonFormat.str(value, budget, line: line)
    }

    /// A string built by `body` under the render's budget.
    func building(_ what: String, line: Int, _ body: (inout TextBuilder) throws(TemplateError) -> Void) throws(TemplateError) -> Value {
        var builder = TextBuilder(budget, what, line: line)
        try body(&builder)
        return .string(try builder.finish())
    }

    private func flag(_ arguments: CallArguments, _ index: Int, _ name: String) -> Bool {
        arguments.value(index, name)?.isTruthy ?? false
    }

    /// Looks up `attribute` (dotted, integer parts index lists) the way jinja2's attribute getters do.
    func lookupPath(_ value: Value, _ path: Value, line: Int) throws(TemplateError) -> Value {
        switch path {
        case .int:
            return try item(of: value, path, line: line)
        case .string(let dotted):
            var current = value
            for part in dotted.split(separator: ".", omittingEmptySubsequences: false) {
                let key: Value = Int(part).map { .int($0) } ?? .string(String(part))
                if current.isUndefined { return current }
                current = try item(of: current, key, line: line)
            }
            return current
        default:
            throw .runtime("attribute must be a string or an integer", line: line)
        }
    }

    private func sortKey(_ value: Value, caseSensitive: Bool) -> Value {
        if !caseSensitive, case .string(let text) = value { return .string(text.lowercased()) }
        return value
    }

    private func sorted(_ items: [Value], by key: (Value) throws(TemplateError) -> Value, reverse: Bool, line: Int) throws(TemplateError) -> [Value] {
        var keyed: [(key: Value, value: Value)] = []
        for item in items { keyed.append((try key(item), item)) }
        // A stable insertion-merge sort that can throw on incomparable values.
        var result: [(key: Value, value: Value)] = []
        for entry in keyed {
            var low = 0
            var high = result.count
            while low < high {
                let middle = (low + high) / 2
                let before = reverse
                    ? try Operators.less(result[middle].key, entry.key, line: line)
                    : try Operators.less(entry.key, result[middle].key, line: line)
                if before { high = middle } else { low = middle + 1 }
            }
            try budget.spend((result.count - low) * SizeBudget.elementBytes, line: line)
            result.insert(entry, at: low)
        }
        return result.map(\.value)
    }

    func applyFilter(_ name: String, _ value: Value, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        switch name {
        case "default", "d":
            let fallback = arguments.value(0, "default_value") ?? .string("")
            if value.isUndefined || (flag(arguments, 1, "boolean") && !value.isTruthy) { return fallback }
            return value
        case "safe", "string":
            if case .string = value { return value }
            return .string(try text(value, line))
        case "escape", "e", "forceescape":
            let source = try text(value, line)
            return try building("escaped string", line: line) { (out) throws(TemplateError) in
                for scalar in source.unicodeScalars {
                    switch scalar {
                    case "&": try out.append("&amp;")
                    case "<": try out.append("&lt;")
                    case ">": try out.append("&gt;")
                    case "\"": try out.append("&#34;")
                    case "'": try out.append("&#39;")
                    default: try out.append(scalar)
                    }
                }
            }
        case "trim":
            try budget.spend(try text(value, line).utf8.count, line: line)
            let chars: String?
            if case .string(let given)? = arguments.value(0, "chars") { chars = given } else { chars = nil }
            return .string(PythonStrings.strip(try text(value, line), chars: chars))
        case "upper", "lower":
            let source = try text(value, line)
            return try building("\(name)case string", line: line) { (out) throws(TemplateError) in
                try PythonStrings.map(source, name == "upper" ? PythonStrings.upper : PythonStrings.lower, into: &out)
            }
        case "title":
            let source = try text(value, line)
            return try building("title-case string", line: line) { (out) throws(TemplateError) in try PythonStrings.jinjaTitle(source, into: &out) }
        case "capitalize":
            let source = try text(value, line)
            return try building("capitalized string", line: line) { (out) throws(TemplateError) in try PythonStrings.capitalize(source, into: &out) }
        case "replace":
            let count: Int
            if case .int(let given)? = arguments.value(2, "count") { count = given } else { count = -1 }
            let source = try text(value, line)
            let old = try text(arguments.value(0, "old") ?? .string(""), line)
            let new = try text(arguments.value(1, "new") ?? .string(""), line)
            return try building("replaced string", line: line) { (out) throws(TemplateError) in
                try PythonStrings.replace(source, old, new, count: count, into: &out)
            }
        case "length", "count":
            switch value {
            case .string(let string): return .int(string.unicodeScalars.count)
            case .list(let items), .tuple(let items): return .int(items.count)
            case .dict(let map): return .int(map.count)
            case .undefined: return .int(0)
            default: throw .runtime("object of type '\(value.typeName)' has no len()", line: line)
            }
        case "first":
            if case .string(let string) = value { return string.unicodeScalars.first.map { .string(String($0)) } ?? .undefined("no first item, sequence was empty") }
            return try iterate(value, line: line).first ?? .undefined("no first item, sequence was empty")
        case "last":
            if case .string(let string) = value { return string.unicodeScalars.last.map { .string(String($0)) } ?? .undefined("no last item, sequence was empty") }
            return try iterate(value, line: line).last ?? .undefined("no last item, sequence was empty")
        case "list":
            return .list(try iterate(value, line: line))
        case "reverse":
            if case .string(let string) = value { return .string(String(String.UnicodeScalarView(string.unicodeScalars.reversed()))) }
            return .list(try iterate(value, line: line).reversed())
        case "join":
            let separator = try text(arguments.value(0, "d") ?? .string(""), line)
            var items = try iterate(value, line: line)
            if let attribute = arguments.value(1, "attribute") {
                var mapped: [Value] = []
                for item in items { mapped.append(try lookupPath(item, attribute, line: line)) }
                items = mapped
            }
            return try building("joined string", line: line) { (out) throws(TemplateError) in
                for (index, item) in items.enumerated() {
                    if index > 0 { try out.append(separator) }
                    try PythonFormat.writeStr(item, into: &out)
                }
            }
        case "items":
            switch value {
            case .dict(let map): return try itemPairs(map, line: line)
            case .undefined: return .list([])
            default: throw .runtime("can only get item pairs from a mapping", line: line)
            }
        case "dictsort":
            guard case .dict(let map) = value else { throw .runtime("dictsort expects a mapping", line: line) }
            let caseSensitive = flag(arguments, 0, "case_sensitive")
            let byValue = try text(arguments.value(1, "by") ?? .string("key"), line) == "value"
            guard case .list(let pairs) = try itemPairs(map, line: line) else { return .list([]) }
            return .list(try sorted(pairs, by: { (pair) throws(TemplateError) -> Value in
                guard case .tuple(let parts) = pair else { return pair }
                return self.sortKey(parts[byValue ? 1 : 0], caseSensitive: caseSensitive)
            }, reverse: flag(arguments, 2, "reverse"), line: line))
        case "sort":
            let caseSensitive = flag(arguments, 1, "case_sensitive")
            let attribute = arguments.value(2, "attribute")
            return .list(try sorted(try iterate(value, line: line), by: { (item) throws(TemplateError) -> Value in
                let key = try attribute.map { (path) throws(TemplateError) in try self.lookupPath(item, path, line: line) } ?? item
                return self.sortKey(key, caseSensitive: caseSensitive)
            }, reverse: flag(arguments, 0, "reverse"), line: line))
        case "unique":
            let caseSensitive = flag(arguments, 0, "case_sensitive")
            let attribute = arguments.value(1, "attribute")
            var seen: [Value] = []
            var result: [Value] = []
            for item in try iterate(value, line: line) {
                let key = sortKey(try attribute.map { (path) throws(TemplateError) in try lookupPath(item, path, line: line) } ?? item,
                                  caseSensitive: caseSensitive)
                try budget.spend(seen.count * SizeBudget.elementBytes, line: line)
                if !seen.contains(where: { Operators.equal($0, key) }) {
                    seen.append(key)
                    result.append(item)
                }
            }
            return .list(result)
        case "min", "max":
            let items = try iterate(value, line: line)
            guard !items.isEmpty else { return .undefined("no \(name) item, sequence was empty") }
            let caseSensitive = flag(arguments, 0, "case_sensitive")
            let attribute = arguments.value(1, "attribute")
            let ordered = try sorted(items, by: { (item) throws(TemplateError) -> Value in
                let key = try attribute.map { (path) throws(TemplateError) in try self.lookupPath(item, path, line: line) } ?? item
                return self.sortKey(key, caseSensitive: caseSensitive)
            }, reverse: false, line: line)
            return name == "min" ? ordered[0] : ordered[ordered.count - 1]
        case "sum":
            var total = arguments.value(1, "start") ?? .int(0)
            let attribute = arguments.value(0, "attribute")
            for item in try iterate(value, line: line) {
                let term = try attribute.map { (path) throws(TemplateError) in try lookupPath(item, path, line: line) } ?? item
                total = try Operators.binary(.add, total, term, budget, line: line)
            }
            return total
        case "abs":
            switch value {
            case .int(let number):
                guard number != Int.min else { throw .runtime("integer overflow", line: line) }
                return .int(Swift.abs(number))
            case .double(let number): return .double(Swift.abs(number))
            case .bool(let flag): return .int(flag ? 1 : 0)
            default: throw .runtime("bad operand type for abs(): '\(value.typeName)'", line: line)
            }
        case "int":
            let fallback = arguments.value(0, "default") ?? .int(0)
            switch value {
            case .int: return value
            case .bool(let flag): return .int(flag ? 1 : 0)
            case .double(let number):
                guard number.isFinite, Swift.abs(number) < 9.2e18 else { return fallback }
                return .int(Int(number))
            case .string(let string):
                let trimmed = PythonStrings.strip(string, chars: nil)
                if let number = Int(trimmed.filter { $0 != "_" }) { return .int(number) }
                if let number = Double(trimmed), number.isFinite, Swift.abs(number) < 9.2e18 { return .int(Int(number)) }
                return fallback
            default: return fallback
            }
        case "float":
            let fallback = arguments.value(0, "default") ?? .double(0)
            switch value {
            case .int(let number): return .double(Double(number))
            case .bool(let flag): return .double(flag ? 1 : 0)
            case .double: return value
            case .string(let string):
                return Double(PythonStrings.strip(string, chars: nil)).map { .double($0) } ?? fallback
            default: return fallback
            }
        case "round":
            let precision: Int
            if case .int(let given)? = arguments.value(0, "precision") { precision = given } else { precision = 0 }
            let method = try text(arguments.value(1, "method") ?? .string("common"), line)
            let number: Double
            switch value {
            case .int(let integer):
                if method == "common" { return .int(integer) }
                number = Double(integer)
            case .bool(let flag): number = flag ? 1 : 0
            case .double(let double): number = double
            default: throw .runtime("round needs a number, not \(value.typeName)", line: line)
            }
            let scale = Foundation.pow(10.0, Double(precision))
            let rule: FloatingPointRoundingRule = method == "ceil" ? .up : method == "floor" ? .down : .toNearestOrEven
            return .double((number * scale).rounded(rule) / scale)
        case "indent":
            return try indent(value, arguments, line: line)
        case "wordcount":
            var count = 0
            var inWord = false
            for scalar in try text(value, line).unicodeScalars {
                let isWord = scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                if isWord && !inWord { count += 1 }
                inWord = isWord
            }
            return .int(count)
        case "attr":
            guard case .string(let attribute)? = arguments.value(0, "name") else {
                throw .runtime("attr needs an attribute name", line: line)
            }
            return try self.attribute(of: value, attribute, line: line)
        case "map":
            let items = try iterate(value, line: line)
            if let attribute = arguments.keyword.first(where: { $0.0 == "attribute" })?.1 {
                let fallback = arguments.keyword.first { $0.0 == "default" }?.1
                var result: [Value] = []
                for item in items {
                    let mapped = try lookupPath(item, attribute, line: line)
                    result.append(mapped.isUndefined ? (fallback ?? mapped) : mapped)
                }
                try budget.admit(list: result, "mapped list", line: line)
                return .list(result)
            }
            guard case .string(let filter)? = arguments.positional.first else {
                throw .runtime("map requires a filter name or attribute=", line: line)
            }
            guard Filters.names.contains(filter) else { throw .runtime("no filter named '\(filter)'", line: line) }
            let rest = CallArguments(positional: Array(arguments.positional.dropFirst()), keyword: arguments.keyword)
            var result: [Value] = []
            for item in items { result.append(try applyFilter(filter, item, rest, line: line)) }
            try budget.admit(list: result, "mapped list", line: line)
            return .list(result)
        case "select", "reject":
            return .list(try selectItems(value, arguments, attribute: false, keep: name == "select", line: line))
        case "selectattr", "rejectattr":
            return .list(try selectItems(value, arguments, attribute: true, keep: name == "selectattr", line: line))
        case "tojson":
            var indent: String?
            switch arguments.value(1, "indent") {
            case .int(let count)?:
                try budget.ensure(0, plus: count, "tojson indent", line: line)
                indent = String(repeating: " ", count: Swift.max(0, count))
            case .string(let given)?: indent = given
            default: indent = nil
            }
            var itemSeparator = indent == nil ? ", " : ","
            var keySeparator = ": "
            if case .tuple(let pair)? = arguments.value(2, "separators"), pair.count == 2 {
                itemSeparator = try text(pair[0], line)
                keySeparator = try text(pair[1], line)
            } else if case .list(let pair)? = arguments.value(2, "separators"), pair.count == 2 {
                itemSeparator = try text(pair[0], line)
                keySeparator = try text(pair[1], line)
            }
            let encoder = JSONEncoding(indent: indent, itemSeparator: itemSeparator, keySeparator: keySeparator,
                                       sortKeys: flag(arguments, 3, "sort_keys"))
            return try building("JSON text", line: line) { (out) throws(TemplateError) in try encoder.encode(value, into: &out) }
        default:
            throw .runtime("no filter named '\(name)'", line: line)
        }
    }

    /// The `(key, value)` pairs of `map`, as `items` and `dictsort` give them.
    func itemPairs(_ map: OrderedMap<Value>, line: Int) throws(TemplateError) -> Value {
        try budget.admit(map.count, of: 3 * SizeBudget.elementBytes, "list of pairs", line: line)
        return .list(map.entries.map { .tuple([.string($0.key), $0.value]) })
    }

    /// jinja2's `indent(width=4, first=False, blank=False)`.
    private func indent(_ value: Value, _ arguments: CallArguments, line: Int) throws(TemplateError) -> Value {
        let width = arguments.value(0, "width") ?? .int(4)
        let indentation: String
        if case .string(let given) = width { indentation = given } else if case .int(let count) = width {
            try budget.ensure(0, plus: count, "indentation", line: line)
            indentation = String(repeating: " ", count: Swift.max(0, count))
        } else { indentation = "    " }
        let lines = try PythonStrings.splitLines(try text(value, line) + "\n", budget, line: line)
        let blank = flag(arguments, 2, "blank")
        return try building("indented string", line: line) { (out) throws(TemplateError) in
            if flag(arguments, 1, "first") { try out.append(indentation) }
            for (index, text) in lines.enumerated() {
                if index > 0 {
                    try out.append("\n")
                    if blank || !text.isEmpty { try out.append(indentation) }
                }
                try out.append(text)
            }
        }
    }

    /// `select`/`reject` (test on the item) and `selectattr`/`rejectattr` (test on an attribute).
    private func selectItems(_ value: Value, _ arguments: CallArguments, attribute: Bool, keep: Bool, line: Int) throws(TemplateError) -> [Value] {
        var remaining = arguments.positional
        var path: Value?
        if attribute {
            guard !remaining.isEmpty else { throw .runtime("missing attribute for selectattr", line: line) }
            path = remaining.removeFirst()
        }
        var test: String?
        if !remaining.isEmpty {
            guard case .string(let name) = remaining.removeFirst() else { throw .runtime("test name must be a string", line: line) }
            guard Tests.names.contains(name) else { throw .runtime("no test named '\(name)'", line: line) }
            test = name
        }
        let testArguments = CallArguments(positional: remaining, keyword: [])
        var result: [Value] = []
        for item in try iterate(value, line: line) {
            let subject = try path.map { (path) throws(TemplateError) in try lookupPath(item, path, line: line) } ?? item
            let passed = try test.map { (test) throws(TemplateError) in try applyTest(test, subject, testArguments, line: line) } ?? subject.isTruthy
            if passed == keep { result.append(item) }
        }
        return result
    }
}
