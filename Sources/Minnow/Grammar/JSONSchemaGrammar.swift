import Foundation
import MinnowTemplate

extension Grammar {
    /// A grammar of the JSON values that a JSON schema accepts.
    ///
    /// Supported: `type` (one or a list), `properties` with `required` (properties come in the
    /// schema's order; optional ones may be left out; no other properties are generated, so
    /// `additionalProperties: false` holds), `additionalProperties` as a schema for objects
    /// without `properties`, `enum`, `const`, `items`, `minItems`/`maxItems`, `anyOf`/`oneOf`
    /// (as alternatives: `oneOf`'s exclusivity is not enforced), local `$ref`s (`#/$defs/…`,
    /// `#/definitions/…`), string `minLength`/`maxLength`, `pattern` (see below), `format`
    /// `date`, `time`, `date-time` and `uuid` (other formats are unconstrained strings), and
    /// `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum` on integers (enforced exactly
    /// by digit-range rules) and numbers (enforced on the integer part: a bounded number is
    /// written without exponent, and non-integer bounds narrow the range to
    /// `[ceil(min), floor(max)]`). Annotations (`title`, `description`, `default`, `examples`,
    /// `$schema`, `$id`) are ignored.
    ///
    /// `pattern` is read as anchored (a whole-string match also satisfies an unanchored
    /// pattern) and supports literals, `.`, classes with ranges and negation, `\d` `\w` `\s`
    /// (and `\D` `\W` `\S` outside classes), groups, `(?:…)`, `|`, and `*` `+` `?` `{m}` `{m,}`
    /// `{m,n}`. Matched characters that JSON must escape (`"`, `\`) are written escaped;
    /// control characters are never generated.
    ///
    /// - Throws: ``GrammarError/unsupportedSchema(pointer:message:)`` naming the JSON pointer
    ///   of a keyword that cannot be enforced (`allOf`, `not`, `uniqueItems`, …) or is
    ///   malformed; ``GrammarError/invalidSchemaJSON(_:)`` for text that is not JSON.
    public init(jsonSchema: String) throws {
        let schema: TemplateValue
        do {
            schema = try TemplateValue(json: jsonSchema)
        } catch {
            throw GrammarError.invalidSchemaJSON(error.description)
        }
        var converter = JSONSchemaConverter(root: schema)
        try self.init(gbnf: try converter.grammar())
    }
}

/// Turns a JSON schema into GBNF text.
struct JSONSchemaConverter {
    private let root: TemplateValue
    private var rules: [String] = []
    private var ruleNames: Set<String> = []
    private var referenceRules: [String: String] = [:]
    private var counter = 0

    init(root: TemplateValue) {
        self.root = root
    }

    /// The whole grammar.
    mutating func grammar() throws -> String {
        let expression = try visit(root, at: "")
        return "root ::= \(expression)\n" + definitions()
    }

    /// A grammar of several schemas, `$ref`-free, whose `root` rule is what `compose` makes of
    /// the GBNF expressions for `schemas` (one each, in order); the rules those expressions use
    /// follow. Errors point into the schemas as `/INDEX/…`.
    mutating func grammar(composing schemas: [TemplateValue], into compose: ([String]) -> String) throws -> String {
        var expressions: [String] = []
        for (index, schema) in schemas.enumerated() {
            expressions.append(try visit(schema, at: "/\(index)"))
        }
        return "root ::= \(compose(expressions))\n" + definitions()
    }

    /// The rules made while visiting, then the shared JSON rules.
    private func definitions() -> String {
        var text = rules.joined(separator: "\n") + "\n"
        text += [JSONGrammar.whitespace, JSONGrammar.character, JSONGrammar.number,
                 #"string ::= "\"" char* "\"""#,
                 #"integer ::= "-"? ("0" | [1-9] [0-9]{0,15})"#,
                 #"value ::= object | array | string | number | ("true" | "false" | "null")"#,
                 #"object ::= "{" ws ( string ws ":" ws value ws ( "," ws string ws ":" ws value ws )* )? "}""#,
                 #"array ::= "[" ws ( value ws ( "," ws value ws )* )? "]""#,
                ].joined(separator: "\n") + "\n"
        return text
    }

    // MARK: - Schemas

    private static let annotations: Set<String> = [
        "title", "description", "default", "examples", "$schema", "$id", "$comment", "$defs", "definitions",
        "readOnly", "writeOnly", "deprecated",
    ]
    private static let handled: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "minItems", "maxItems",
        "anyOf", "oneOf", "$ref", "minLength", "maxLength", "pattern", "format", "minimum", "maximum",
        "exclusiveMinimum", "exclusiveMaximum",
    ]

    /// A GBNF expression for the values `schema` accepts.
    private mutating func visit(_ schema: TemplateValue, at pointer: String) throws -> String {
        switch schema {
        case .bool(true): return "value"
        case .bool(false): throw unsupported(pointer, "the schema 'false' accepts no value")
        case .object(let map):
            for key in map.keys where !Self.handled.contains(key) && !Self.annotations.contains(key) {
                throw unsupported(pointer + "/" + escape(key), "keyword '\(key)' is not supported")
            }
            if let reference = map["$ref"] { return try visitReference(reference, at: pointer + "/$ref") }
            if let constant = map["const"] { return literal(try json(constant, at: pointer + "/const")) }
            if let options = map["enum"] {
                guard case .array(let values) = options, !values.isEmpty else {
                    throw unsupported(pointer + "/enum", "'enum' must be a non-empty array")
                }
                var alternatives: [String] = []
                for (index, value) in values.enumerated() {
                    alternatives.append(literal(try json(value, at: pointer + "/enum/\(index)")))
                }
                return rule("(" + alternatives.joined(separator: " | ") + ")")
            }
            for keyword in ["anyOf", "oneOf"] {
                guard let options = map[keyword] else { continue }
                guard case .array(let branches) = options, !branches.isEmpty else {
                    throw unsupported(pointer + "/" + keyword, "'\(keyword)' must be a non-empty array")
                }
                var alternatives: [String] = []
                for (index, branch) in branches.enumerated() {
                    alternatives.append(try visit(branch, at: pointer + "/\(keyword)/\(index)"))
                }
                return rule("(" + alternatives.joined(separator: " | ") + ")")
            }
            switch map["type"] {
            case .string(let type)?:
                return try visitType(type, map, at: pointer)
            case .array(let types)?:
                var alternatives: [String] = []
                for (index, type) in types.enumerated() {
                    guard case .string(let name) = type else {
                        throw unsupported(pointer + "/type/\(index)", "a type must be a string")
                    }
                    alternatives.append(try visitType(name, map, at: pointer))
                }
                guard !alternatives.isEmpty else { throw unsupported(pointer + "/type", "'type' is an empty list") }
                return rule("(" + alternatives.joined(separator: " | ") + ")")
            case nil:
                if map["properties"] != nil || map["additionalProperties"] != nil { return try visitType("object", map, at: pointer) }
                if map["items"] != nil { return try visitType("array", map, at: pointer) }
                return "value"
            case _?:
                throw unsupported(pointer + "/type", "'type' must be a string or a list of strings")
            }
        default:
            throw unsupported(pointer, "a schema must be an object or a boolean")
        }
    }

    private mutating func visitType(_ type: String, _ map: OrderedMap<TemplateValue>, at pointer: String) throws -> String {
        switch type {
        case "object": return try visitObject(map, at: pointer)
        case "array": return try visitArray(map, at: pointer)
        case "string": return try visitString(map, at: pointer)
        case "integer": return try visitInteger(map, at: pointer)
        case "number": return try visitNumber(map, at: pointer)
        case "boolean": return #"("true" | "false")"#
        case "null": return #""null""#
        default: throw unsupported(pointer + "/type", "unknown type '\(type)'")
        }
    }

    private mutating func visitReference(_ reference: TemplateValue, at pointer: String) throws -> String {
        guard case .string(let target) = reference, target.hasPrefix("#") else {
            throw unsupported(pointer, "only local references ('#/…') are supported")
        }
        if let name = referenceRules[target] { return name }
        var node = root
        for part in target.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let key = part.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let next = node[key] else { throw unsupported(pointer, "reference '\(target)' points nowhere") }
            node = next
        }
        // A rule of its own, named before its body is made, so that recursion works.
        let name = freshName()
        referenceRules[target] = name
        let body = try visit(node, at: String(target.dropFirst()))
        define(name, body)
        return name
    }

    private mutating func visitObject(_ map: OrderedMap<TemplateValue>, at pointer: String) throws -> String {
        guard let properties = map["properties"] else {
            switch map["additionalProperties"] {
            case nil, .bool(true)?: return "object"
            case .bool(false)?: return #""{" ws "}""#
            case let schema?:
                let value = try visit(schema, at: pointer + "/additionalProperties")
                let pair = rule(#"string ws ":" ws "# + value)
                return rule(#""{" ws ( "# + pair + #" ws ( "," ws "# + pair + #" ws )* )? "}""#)
            }
        }
        guard case .object(let propertyMap) = properties else {
            throw unsupported(pointer + "/properties", "'properties' must be an object")
        }
        var required: Set<String> = []
        if let list = map["required"] {
            guard case .array(let names) = list else { throw unsupported(pointer + "/required", "'required' must be an array") }
            for (index, name) in names.enumerated() {
                guard case .string(let text) = name else {
                    throw unsupported(pointer + "/required/\(index)", "a required name must be a string")
                }
                guard propertyMap[text] != nil else {
                    throw unsupported(pointer + "/required/\(index)", "required property '\(text)' is not in 'properties'")
                }
                required.insert(text)
            }
        }
        // key-value rules, in the schema's order.
        var pairs: [(rule: String, required: Bool)] = []
        for (key, schema) in propertyMap.entries {
            let value = try visit(schema, at: pointer + "/properties/" + escape(key))
            pairs.append((rule(literal(jsonString(key)) + #" ws ":" ws "# + value), required.contains(key)))
        }
        // first(i): nothing written yet, properties i... to choose from; rest(i): something
        // written, so each further property is preceded by a comma.
        var first = "", rest = ""
        for (pair, isRequired) in pairs.reversed() {
            let nextFirst = first, nextRest = rest
            let withPair = pair + (nextRest.isEmpty ? "" : " " + nextRest)
            let commaPair = #"ws "," ws "# + withPair
            if isRequired {
                first = rule(withPair)
                rest = rule(commaPair)
            } else {
                first = rule("(" + withPair + " | " + (nextFirst.isEmpty ? "" : nextFirst) + ")")
                rest = rule("(" + commaPair + " | " + (nextRest.isEmpty ? "" : nextRest) + ")")
            }
        }
        return rule(#""{" ws "# + (first.isEmpty ? "" : first + " ws ") + #""}""#)
    }

    private mutating func visitArray(_ map: OrderedMap<TemplateValue>, at pointer: String) throws -> String {
        let item: String
        switch map["items"] {
        case nil: item = "value"
        case .array?: throw unsupported(pointer + "/items", "tuple 'items' (an array of schemas) is not supported")
        case let schema?: item = try visit(schema, at: pointer + "/items")
        }
        let minimum = try count(map["minItems"], at: pointer + "/minItems") ?? 0
        let maximum = try count(map["maxItems"], at: pointer + "/maxItems")
        if let maximum, maximum < minimum { throw unsupported(pointer + "/maxItems", "'maxItems' is below 'minItems'") }
        if maximum == 0 { return #""[" ws "]""# }
        let more = rule(#"ws "," ws "# + item)
        let repeatMore: String
        switch maximum {
        case nil: repeatMore = more + "{\(max(0, minimum - 1)),}"
        case let maximum?: repeatMore = more + "{\(max(0, minimum - 1)),\(maximum - 1)}"
        }
        let items = item + " " + repeatMore
        return rule(#""[" ws "# + (minimum == 0 ? "(" + items + " ws)?" : items + " ws") + #" "]""#)
    }

    private mutating func visitString(_ map: OrderedMap<TemplateValue>, at pointer: String) throws -> String {
        let minimum = try count(map["minLength"], at: pointer + "/minLength")
        let maximum = try count(map["maxLength"], at: pointer + "/maxLength")
        if let pattern = map["pattern"] {
            guard case .string(let text) = pattern else { throw unsupported(pointer + "/pattern", "'pattern' must be a string") }
            if minimum != nil || maximum != nil {
                throw unsupported(pointer, "'pattern' together with 'minLength'/'maxLength' is not supported")
            }
            var translator = RegexTranslator(text, pointer: pointer + "/pattern")
            return rule(#""\"" "# + (try translator.translate()) + #" "\"""#)
        }
        if case .string(let format)? = map["format"], let body = Self.formats[format] {
            if minimum != nil || maximum != nil {
                throw unsupported(pointer, "'format' together with 'minLength'/'maxLength' is not supported")
            }
            return rule(#""\"" "# + body + #" "\"""#)
        }
        if minimum == nil && maximum == nil { return "string" }
        let low = minimum ?? 0
        if let maximum, maximum < low { throw unsupported(pointer + "/maxLength", "'maxLength' is below 'minLength'") }
        if let maximum, maximum > GrammarParser.maxRepetition {
            throw unsupported(pointer + "/maxLength", "'maxLength' above \(GrammarParser.maxRepetition)")
        }
        return rule(#""\"" char{"# + "\(low)," + (maximum.map { "\($0)" } ?? "") + #"} "\"""#)
    }

    private static let date = #"[0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [12] [0-9] | "3" [01])"#
    private static let time =
        #"([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,6})? ("Z" | [+-] ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9])"#
    private static let formats: [String: String] = [
        "date": date,
        "time": time,
        "date-time": date + #" "T" "# + time,
        "uuid": #"[0-9a-f]{8} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{4} "-" [0-9a-f]{12}"#,
    ]

    private mutating func visitInteger(_ map: OrderedMap<TemplateValue>, at pointer: String) throws -> String {
        let bounds = try NumberBounds(map, at: pointer)
        guard bounds.isBounded else { return "integer" }
        guard let low = bounds.integerLower, let high = bounds.integerUpper else {
            throw unsupported(pointer, "a bound is too large")
        }
        if let low = low, let high = high, low > high { throw unsupported(pointer, "no integer lies within the bounds") }
        return rule(IntegerRangeGrammar.expression(low, high))
    }

    private mutating func visitNumber(_ map: OrderedMap<TemplateValue>, at pointer: String) throws -> String {
        let bounds = try NumberBounds(map, at: pointer)
        guard bounds.isBounded else { return "number" }
        guard let expression = bounds.numberExpression() else {
            throw unsupported(pointer, "the bounds leave no number Minnow can write (see Grammar(jsonSchema:))")
        }
        return rule(expression)
    }

    // MARK: - Helpers

    /// A new rule with `body`; returns its name.
    private mutating func rule(_ body: String) -> String {
        let name = freshName()
        define(name, body)
        return name
    }

    private mutating func freshName() -> String {
        counter += 1
        return "r\(counter)"
    }

    private mutating func define(_ name: String, _ body: String) {
        rules.append("\(name) ::= \(body)")
    }

    private func count(_ value: TemplateValue?, at pointer: String) throws -> Int? {
        switch value {
        case nil: return nil
        case .int(let n)? where n >= 0 && n <= GrammarParser.maxRepetition: return n
        case .double(let d)? where d >= 0 && d <= Double(GrammarParser.maxRepetition) && d == d.rounded(): return Int(d)
        default: throw unsupported(pointer, "expected a non-negative integer up to \(GrammarParser.maxRepetition)")
        }
    }

    private func unsupported(_ pointer: String, _ message: String) -> GrammarError {
        .unsupportedSchema(pointer: pointer, message: message)
    }

    /// A JSON pointer token: `~` and `/` escaped.
    private func escape(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Compact JSON text of a value.
    /// - Throws: ``GrammarError`` for a number that is not finite.
    static func compactJSON(_ value: TemplateValue) throws -> String {
        try JSONSchemaConverter(root: .null).json(value, at: "")
    }

    /// Compact JSON text of a value.
    private func json(_ value: TemplateValue, at pointer: String) throws -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            guard d.isFinite else { throw unsupported(pointer, "a number must be finite") }
            return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
        case .string(let s): return jsonString(s)
        case .array(let items):
            var parts: [String] = []
            for (index, item) in items.enumerated() { parts.append(try json(item, at: pointer + "/\(index)")) }
            return "[" + parts.joined(separator: ",") + "]"
        case .object(let map):
            var parts: [String] = []
            for (key, item) in map.entries { parts.append(jsonString(key) + ":" + (try json(item, at: pointer + "/" + escape(key)))) }
            return "{" + parts.joined(separator: ",") + "}"
        }
    }
}

/// A JSON string literal of `text`.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 {
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// A GBNF string literal matching `text` exactly.
func literal(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "[": out += "\\["
        case "]": out += "\\]"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count < 2 ? "0" : "") + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
