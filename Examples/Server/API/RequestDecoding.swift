import Foundation

/// Turns a request body into a typed request, or into the ``APIError`` that says what is wrong
/// with it: not JSON, not an object, a parameter this server does not implement or does not
/// know, a value of the wrong type.
public enum RequestDecoding {
    /// Checks the body's top-level keys, then decodes it.
    ///
    /// - Parameters:
    ///   - supported: The keys `T` reads.
    ///   - unsupported: Keys of the OpenAI API that this server does not implement. A request
    ///     that sets one (to anything but null) gets a 400 naming it; any other key not in
    ///     `supported` gets a 400 as unknown.
    public static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, supported: Set<String>, unsupported: Set<String>
    ) throws(APIError) -> T {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw .malformedJSON(data.isEmpty ? "the body is empty" : "\(error.localizedDescription)")
        }
        guard let fields = object as? [String: Any] else {
            throw .invalidRequest("The request body must be a JSON object.")
        }
        for key in fields.keys.sorted() where !supported.contains(key) {
            if fields[key] is NSNull { continue }
            throw unsupported.contains(key) ? .unsupportedParameter(key) : .unknownParameter(key)
        }
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[.rawRequestBody] = data
            return try decoder.decode(T.self, from: data)
        } catch let error as APIError {
            throw error
        } catch let error as DecodingError {
            throw describe(error)
        } catch {
            throw .invalidRequest("The request could not be read: \(error)")
        }
    }

    /// The 400 for a decoding error, naming the field (`messages[1].content`).
    static func describe(_ error: DecodingError) -> APIError {
        switch error {
        case .typeMismatch(let expected, let context):
            let name = path(context.codingPath)
            return .invalidRequest("Invalid type for '\(name)': expected \(typeName(expected)).", param: name, code: "invalid_type")
        case .valueNotFound(let expected, let context):
            let name = path(context.codingPath)
            return .invalidRequest("Invalid value for '\(name)': expected \(typeName(expected)), got null.", param: name,
                                   code: "invalid_type")
        case .keyNotFound(let key, let context):
            let name = path(context.codingPath + [key])
            return .invalidRequest("Missing required parameter: '\(name)'.", param: name, code: "missing_required_parameter")
        case .dataCorrupted(let context):
            let name = path(context.codingPath)
            return .invalidRequest("Invalid value for '\(name)': \(context.debugDescription)", param: name.isEmpty ? nil : name,
                                   code: "invalid_value")
        @unknown default:
            return .invalidRequest("The request could not be read: \(error)")
        }
    }

    /// `messages[0].role` from a coding path.
    static func path(_ keys: [any CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is [Any].Type: "an array"
        default: "\(type)"
        }
    }
}
