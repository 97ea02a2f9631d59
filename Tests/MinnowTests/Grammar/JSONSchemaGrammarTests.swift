import Minnow
import Testing

/// The JSON-schema converter: which documents its grammars accept, and its errors.
@Suite struct JSONSchemaGrammarTests {
    /// Every integer from -1300 to 1300 is matched exactly when it is within the bounds.
    @Test(arguments: [
        (Int?.none, Int?.some(0)), (0, nil), (1, 1), (-7, 42), (-1205, -99), (5, 1234), (100, 999), (0, 9), (-9, -1),
        (13, nil), (nil, -13), (-100, 100), (10, 100),
    ])
    func integerBoundsAreExact(low: Int?, high: Int?) throws {
        var schema = #"{"type": "integer""#
        if let low { schema += #", "minimum": \#(low)"# }
        if let high { schema += #", "maximum": \#(high)"# }
        let grammar = try Grammar(jsonSchema: schema + "}")
        for value in -1300...1300 {
            let inside = (low.map { value >= $0 } ?? true) && (high.map { value <= $0 } ?? true)
            #expect(grammar.matches(String(value)) == inside, "\(value) in \(String(describing: low))...\(String(describing: high))")
        }
        #expect(!grammar.matches("-0"))
    }

    @Test func exclusiveBoundsOnIntegersAndNumbers() throws {
        let integer = try Grammar(jsonSchema: #"{"type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 10}"#)
        #expect(!integer.matches("0"))
        #expect(integer.matches("1"))
        #expect(integer.matches("9"))
        #expect(!integer.matches("10"))
        let number = try Grammar(jsonSchema: #"{"type": "number", "exclusiveMinimum": 0, "maximum": 1}"#)
        for (text, valid) in [("0", false), ("0.0", false), ("0.5", true), ("0.05", true), ("1", true), ("1.0", true),
                              ("1.5", false), ("-0.5", false), ("0.000", false), ("2", false)] {
            #expect(number.matches(text) == valid, "\(text)")
        }
        let negative = try Grammar(jsonSchema: #"{"type": "number", "minimum": -2.5, "maximum": -0.5}"#)
        // Non-integer bounds narrow to [-2, -1].
        for (text, valid) in [("-2", true), ("-1.5", true), ("-1", true), ("-2.0", true), ("-2.3", false),
                              ("-0.7", false), ("-0.5", false), ("0", false)] {
            #expect(negative.matches(text) == valid, "\(text)")
        }
    }

    @Test func objectsHaveRequiredPropertiesInOrderAndOptionalOnesMayBeLeftOut() throws {
        let grammar = try Grammar(jsonSchema: #"""
            {"type": "object", "additionalProperties": false,
             "properties": {"a": {"type": "integer"}, "b": {"type": "string", "maxLength": 3}, "c": {"type": "boolean"}},
             "required": ["b"]}
            """#)
        #expect(grammar.matches(#"{"b":"xyz"}"#))
        #expect(grammar.matches(#"{"a": 1, "b": "", "c": true}"#))
        #expect(grammar.matches(#"{"b": "x", "c": false}"#))
        #expect(grammar.matches(#"{ "a":-5,"b":"" }"#))
        #expect(!grammar.matches(#"{"a": 1}"#))
        #expect(!grammar.matches(#"{"b": "toolong"}"#))
        #expect(!grammar.matches(#"{"b": "x", "d": 1}"#))
        #expect(!grammar.matches(#"{"b": "x",}"#))
        #expect(!grammar.matches(#"{, "b": "x"}"#))
    }

    @Test func arraysEnumsConstAnyOfAndFormats() throws {
        let grammar = try Grammar(jsonSchema: #"""
            {"type": "object", "properties": {
              "tags": {"type": "array", "items": {"enum": ["red", "green", 3, null]}, "minItems": 1, "maxItems": 2},
              "kind": {"const": "point"},
              "id": {"anyOf": [{"type": "string", "format": "uuid"}, {"type": "null"}]},
              "day": {"type": "string", "format": "date"},
              "at": {"type": "string", "format": "date-time"},
              "code": {"type": "string", "pattern": "^[A-Z]{2}-\\d{3}(x|y\")?$"}
            }, "required": ["tags", "kind", "id", "day", "at", "code"]}
            """#)
        let good = #"{"tags": ["red", 3], "kind": "point", "id": null, "day": "2024-02-29", "at": "2024-01-01T12:30:00Z", "code": "AB-123y\""}"#
        #expect(grammar.matches(good))
        #expect(grammar.matches(good.replacingOccurrences(of: "null", with: #""123e4567-e89b-12d3-a456-426614174000""#)))
        #expect(!grammar.matches(good.replacingOccurrences(of: #"["red", 3]"#, with: "[]")))
        #expect(!grammar.matches(good.replacingOccurrences(of: #"["red", 3]"#, with: #"["red", 3, null]"#)))
        #expect(!grammar.matches(good.replacingOccurrences(of: "point", with: "line")))
        #expect(!grammar.matches(good.replacingOccurrences(of: "2024-02-29", with: "2024-13-01")))
        #expect(!grammar.matches(good.replacingOccurrences(of: "12:30:00Z", with: "25:30:00Z")))
        #expect(!grammar.matches(good.replacingOccurrences(of: "AB-123", with: "AB-12")))
    }

    @Test func jsonModeAcceptsObjectsOnly() {
        #expect(Grammar.jsonObject.matches(#"{"a": [1, {"b": "c"}], "d": -1.5e3}"#))
        #expect(!Grammar.jsonObject.matches("[1]"))
        #expect(Grammar.jsonValue.matches("[1]"))
    }

    @Test(arguments: [
        (#"{"type": "object", "properties": {"a": {"type": "strin"}}}"#, "JSON schema error at '/properties/a/type': unknown type 'strin'"),
        (#"{"type": "array", "items": {"type": "integer", "multipleOf": 3}}"#, "JSON schema error at '/items/multipleOf': keyword 'multipleOf' is not supported"),
        (#"{"allOf": []}"#, "JSON schema error at '/allOf': keyword 'allOf' is not supported"),
        (#"{"properties": {"a/b": {"enum": []}}}"#, "JSON schema error at '/properties/a~1b/enum': 'enum' must be a non-empty array"),
        (#"{"type": "object", "properties": {"x": {}}, "required": ["y"]}"#, "JSON schema error at '/required/0': required property 'y' is not in 'properties'"),
        (#"{"type": "string", "pattern": "(?=a)"}"#, "JSON schema error at '/pattern': pattern: lookaround and named groups are not supported"),
        (#"{"type": "array", "minItems": 3, "maxItems": 2}"#, "JSON schema error at '/maxItems': 'maxItems' is below 'minItems'"),
        (#"{"type": "integer", "minimum": 5, "maximum": 4}"#, "JSON schema error at '/': no integer lies within the bounds"),
        (##"{"$ref": "#/$defs/missing"}"##, "JSON schema error at '/$ref': reference '#/$defs/missing' points nowhere"),
        (#"{"type": "object""#, "JSON schema is not valid JSON: invalid JSON at byte 17: unterminated object"),
    ])
    func badSchemasNameTheirJSONPointer(schema: String, message: String) {
        do {
            _ = try Grammar(jsonSchema: schema)
            Issue.record("accepted: \(schema)")
        } catch {
            #expect("\(error)" == message)
        }
    }

    @Test func recursiveReferences() throws {
        let grammar = try Grammar(jsonSchema: ##"""
            {"$defs": {"node": {"type": "object", "properties": {"v": {"type": "integer"},
              "next": {"anyOf": [{"$ref": "#/$defs/node"}, {"type": "null"}]}}, "required": ["v", "next"]}},
             "$ref": "#/$defs/node"}
            """##)
        #expect(grammar.matches(#"{"v": 1, "next": {"v": 2, "next": null}}"#))
        #expect(!grammar.matches(#"{"v": 1, "next": {"v": 2}}"#))
    }
}
