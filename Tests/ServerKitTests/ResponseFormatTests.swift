import Foundation
import Minnow
import ServerKit
import Testing
import ServerAPI

/// `response_format` to a generation constraint, and every bad one to its 400.
@Suite struct ResponseFormatTests {
    let defaults = GenerationDefaults(maxTokens: 100, temperature: 0.6, thinkingBudget: nil)

    func chat(_ format: String) throws(APIError) -> ChatCompletionRequest {
        try ChatCompletionRequest.decode(Data(#"{"messages": [{"role": "user", "content": "q"}], "response_format": \#(format)}"#.utf8))
    }

    func error(_ format: String) -> APIError? {
        do {
            _ = try chat(format).generationParameters(defaults: defaults)
            return nil
        } catch {
            return error
        }
    }

    @Test func textIsUnconstrainedAndJSONObjectIsJSONMode() throws {
        #expect(try chat(#"{"type": "text"}"#).sampling.responseFormat == .text)
        #expect(try chat(#"{"type": "text"}"#).generationParameters(defaults: defaults).constraint == nil)
        #expect(try chat("null").generationParameters(defaults: defaults).constraint == nil)
        let json = try chat(#"{"type": "json_object"}"#)
        #expect(json.sampling.responseFormat == .jsonObject)
        let constraint = try #require(try json.generationParameters(defaults: defaults).constraint)
        #expect(constraint.grammar.source == Grammar.jsonObject.source)
    }

    @Test func aSchemaIsKeptAsSentAndConstrains() throws {
        // Key order (zeta before alpha) is the order the answer writes properties in, so the
        // schema must reach the grammar as written, spacing and escapes included.
        let schema = #"{"type": "object", "properties": {"zeta": {"type": "integer"},  "alpha": {"type": "string", "pattern": "^[a-z\"]+$"}}, "required": ["zeta", "alpha"]}"#
        let request = try chat(#"{"type": "json_schema", "json_schema": {"name": "pair", "strict": true, "schema": \#(schema)}}"#)
        #expect(request.sampling.responseFormat == .jsonSchema(JSONSchemaFormat(name: "pair", schema: schema, strict: true)))
        let constraint = try #require(try request.generationParameters(defaults: defaults).constraint)
        #expect(constraint.grammar.source == (try Grammar(jsonSchema: schema)).source)
        #expect(constraint.grammar.matches(#"{"zeta": 1, "alpha": "a\"b"}"#))
        #expect(!constraint.grammar.matches(#"{"alpha": "ab", "zeta": 1}"#))
    }

    @Test func escapedKeysAndStrictFalseAreRead() throws {
        // "json\u005fschema" is "json_schema"; strict defaults to false and still constrains.
        let request = try chat(#"{"json\u005fschema": {"schema": {"enum": ["a", "b"]}, "name": "n"}, "type": "json_schema"}"#)
        #expect(request.sampling.responseFormat == .jsonSchema(JSONSchemaFormat(name: "n", schema: #"{"enum": ["a", "b"]}"#)))
        let constraint = try #require(try request.generationParameters(defaults: defaults).constraint)
        #expect(constraint.grammar.matches(#""b""#) && !constraint.grammar.matches(#""c""#))
    }

    @Test func completionsTakeItToo() throws {
        let request = try CompletionRequest.decode(Data(
            #"{"prompt": "p", "response_format": {"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "boolean"}}}}"#.utf8))
        let constraint = try #require(try request.generationParameters(defaults: defaults).constraint)
        #expect(constraint.grammar.matches("true") && !constraint.grammar.matches("1"))
    }

    @Test(arguments: [
        // response_format, param, code, words the message must contain
        (#"{"type": "xml"}"#, "response_format.type", "invalid_value", "'xml'"),
        (#"{}"#, "response_format.type", "missing_required_parameter", "type"),
        (#""json""#, "response_format", "invalid_type", "response_format"),
        (#"{"type": "json_schema"}"#, "response_format.json_schema", "missing_required_parameter", "json_schema"),
        (#"{"type": "json_schema", "json_schema": {"schema": {}}}"#, "response_format.json_schema.name",
         "missing_required_parameter", "name"),
        (#"{"type": "json_schema", "json_schema": {"name": "n"}}"#, "response_format.json_schema.schema",
         "missing_required_parameter", "schema"),
        (#"{"type": "json_schema", "json_schema": {"name": "n", "schema": [1]}}"#, "response_format.json_schema.schema",
         "invalid_type", "JSON object"),
        (#"{"type": "json_schema", "json_schema": {"name": "n", "strict": "yes", "schema": {}}}"#,
         "response_format.json_schema.strict", "invalid_type", "boolean"),
        (#"{"type": "json_schema", "json_schema": {"name": "n", "schema": {"type": "object", "allOf": [{}]}}}"#,
         "response_format.json_schema.schema", "invalid_value", "/allOf"),
        (##"{"type": "json_schema", "json_schema": {"name": "n", "schema": {"properties": {"a": {"$ref": "#/$defs/missing"}}}}}"##,
         "response_format.json_schema.schema", "invalid_value", "/properties/a"),
    ] as [(String, String, String, String)])
    func aBadFormatGetsItsError(format: String, param: String, code: String, words: String) throws {
        let refusal = try #require(self.error(format))
        #expect(refusal.status == 400)
        #expect(refusal.type == "invalid_request_error")
        #expect(refusal.param == param, "\(refusal.message)")
        #expect(refusal.code == code, "\(refusal.message)")
        #expect(refusal.message.contains(words), "\(refusal.message)")
    }
}
