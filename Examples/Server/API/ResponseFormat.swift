import Foundation
import Minnow

/// `response_format`: what shape the answer must take. The server turns it into a
/// ``GenerationConstraint``, so the answer matches by construction (unless `max_tokens` cuts
/// it: `finish_reason` is then `length`).
public enum ResponseFormat: Sendable, Equatable, Decodable {
    /// `{"type": "text"}`: no constraint.
    case text
    /// `{"type": "json_object"}`: JSON mode, the answer is one JSON object.
    case jsonObject
    /// `{"type": "json_schema", "json_schema": {...}}`: the answer matches the schema.
    case jsonSchema(JSONSchemaFormat)

    enum CodingKeys: String, CodingKey {
        case type
        case jsonSchema = "json_schema"
    }

    /// Reads the object. The schema is kept as the client wrote it (key order included); the
    /// raw body comes from the decoder's ``CodingUserInfoKey/rawRequestBody``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .type)
        switch type {
        case "text": self = .text
        case "json_object": self = .jsonObject
        case "json_schema":
            guard container.contains(.jsonSchema), try !container.decodeNil(forKey: .jsonSchema) else {
                let name = RequestDecoding.path(decoder.codingPath + [CodingKeys.jsonSchema])
                throw APIError.invalidRequest("Missing required parameter: '\(name)' (for type 'json_schema').",
                                              param: name, code: "missing_required_parameter")
            }
            let nested = try container.superDecoder(forKey: .jsonSchema)
            self = .jsonSchema(try JSONSchemaFormat(from: nested))
        default:
            let name = RequestDecoding.path(decoder.codingPath + [CodingKeys.type])
            throw APIError.invalidRequest(
                "Invalid value for '\(name)': '\(type)'. Expected 'text', 'json_object' or 'json_schema'.",
                param: name, code: "invalid_value")
        }
    }

    /// The constraint for the answer; nil for ``text``.
    /// - Throws: A 400 naming `response_format.json_schema.schema` when the schema cannot be
    ///   turned into a grammar, with the JSON pointer of the problem.
    public func constraint() throws(APIError) -> GenerationConstraint? {
        switch self {
        case .text:
            return nil
        case .jsonObject:
            return .json
        case .jsonSchema(let format):
            let param = "response_format.json_schema.schema"
            do {
                return try .jsonSchema(format.schema)
            } catch let error as GrammarError {
                throw .invalidRequest("Invalid schema for response_format '\(format.name)': \(error.description)",
                                      param: param, code: "invalid_value")
            } catch {
                throw .invalidRequest("Invalid schema for response_format '\(format.name)': \(error)", param: param,
                                      code: "invalid_value")
            }
        }
    }
}

/// The `json_schema` object of a `response_format`.
public struct JSONSchemaFormat: Sendable, Equatable, Decodable {
    /// The format's name (required by OpenAI; only used in error messages here).
    public var name: String
    /// What the format is for; the model does not see it here.
    public var description: String?
    /// The JSON schema, as JSON text exactly as sent.
    public var schema: String
    /// `strict`. Both values constrain the answer to the schema: Minnow masks every token that
    /// would break it. `strict: true` does not make the server check OpenAI's strict-mode
    /// subset (every property required, `additionalProperties: false`).
    public var strict: Bool

    /// A format with every field given.
    public init(name: String, description: String? = nil, schema: String, strict: Bool = false) {
        self.name = name
        self.description = description
        self.schema = schema
        self.strict = strict
    }

    enum CodingKeys: String, CodingKey {
        case name, description, schema, strict
    }

    /// Reads the object; see ``ResponseFormat/init(from:)`` for the schema's text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        strict = try container.decodeIfPresent(Bool.self, forKey: .strict) ?? false
        let param = RequestDecoding.path(decoder.codingPath + [CodingKeys.schema])
        guard container.contains(.schema), try !container.decodeNil(forKey: .schema) else {
            throw APIError.invalidRequest("Missing required parameter: '\(param)'.", param: param,
                                          code: "missing_required_parameter")
        }
        guard let body = decoder.userInfo[.rawRequestBody] as? Data,
              let text = RawJSONLocator.text(at: decoder.codingPath + [CodingKeys.schema], in: body)
        else {
            throw DecodingError.dataCorruptedError(
                forKey: .schema, in: container, debugDescription: "the schema's text could not be located in the request body")
        }
        guard text.first == "{" else {
            throw APIError.invalidRequest("Invalid type for '\(param)': expected a JSON object.", param: param,
                                          code: "invalid_type")
        }
        schema = text
    }
}

extension CodingUserInfoKey {
    /// The request body's bytes (`Data`), for values kept as sent (a JSON schema's text).
    public static let rawRequestBody = CodingUserInfoKey(rawValue: "minnow.rawRequestBody")!
}
