/// An error answered to an API client: an HTTP status and the OpenAI error body
/// `{"error": {"message", "type", "param", "code"}}`.
public struct APIError: Error, Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// What went wrong, for a person.
    public var message: String
    /// The error class: `invalid_request_error`, `authentication_error`, `server_error`, …
    public var type: String
    /// The request field at fault, such as `messages[0].role`; nil when none is.
    public var param: String?
    /// A machine-readable code, such as `context_length_exceeded`; nil when none applies.
    public var code: String?
    /// Seconds after which the client may try again (sent as `Retry-After`), for 429 and 503.
    public var retryAfter: Int?

    /// An error with every field given.
    public init(status: Int, message: String, type: String, param: String? = nil, code: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfter = retryAfter
    }

    /// A 400 about the request's content.
    public static func invalidRequest(_ message: String, param: String? = nil, code: String? = nil) -> APIError {
        APIError(status: 400, message: message, type: "invalid_request_error", param: param, code: code)
    }

    /// A 400 for a parameter this server recognizes but does not implement.
    public static func unsupportedParameter(_ name: String) -> APIError {
        invalidRequest("The parameter '\(name)' is not supported by this server.", param: name, code: "unsupported_parameter")
    }

    /// A 400 for a parameter that is not part of the API.
    public static func unknownParameter(_ name: String) -> APIError {
        invalidRequest("Unrecognized request argument supplied: \(name)", param: name, code: "unknown_parameter")
    }

    /// A 400 for a body that is not JSON.
    public static func malformedJSON(_ detail: String) -> APIError {
        invalidRequest("The request body is not valid JSON: \(detail)", code: "invalid_json")
    }

    /// A 400 for a prompt that does not fit the context window.
    public static func contextLengthExceeded(promptTokens: Int, contextLength: Int) -> APIError {
        invalidRequest(
            "This model's maximum context length is \(contextLength) tokens. However, your prompt resulted in "
                + "\(promptTokens) tokens.",
            param: "messages", code: "context_length_exceeded")
    }

    /// A 401 for a missing or wrong API key.
    public static let unauthorized = APIError(
        status: 401, message: "Incorrect or missing API key. Send it as 'Authorization: Bearer <key>'.",
        type: "authentication_error", code: "invalid_api_key")

    /// A 404 for a path the server does not serve.
    public static func notFound(_ path: String) -> APIError {
        APIError(status: 404, message: "Unknown path: \(path)", type: "invalid_request_error", code: "not_found")
    }

    /// A 405 for a method a path does not take.
    public static func methodNotAllowed(_ method: String, _ path: String) -> APIError {
        APIError(status: 405, message: "\(path) does not take \(method).", type: "invalid_request_error", code: "method_not_allowed")
    }

    /// A 413 for a body over the size limit.
    public static func bodyTooLarge(limit: Int) -> APIError {
        APIError(status: 413, message: "The request body is larger than \(limit) bytes.", type: "invalid_request_error",
                 code: "request_too_large")
    }

    /// A 429 when every slot is busy and the waiting queue is full.
    public static func queueFull(retryAfter: Int) -> APIError {
        APIError(status: 429, message: "The server is busy: every slot is generating and the queue is full. Try again later.",
                 type: "rate_limit_error", code: "queue_full", retryAfter: retryAfter)
    }

    /// A 408 when a request ran past the server's time limit.
    public static func timedOut(seconds: Int) -> APIError {
        APIError(status: 408, message: "The request took longer than the server's limit of \(seconds) s and was stopped.",
                 type: "server_error", code: "request_timeout")
    }

    /// A 503 when the server is shutting down.
    public static let shuttingDown = APIError(
        status: 503, message: "The server is shutting down.", type: "server_error", code: "server_shutdown", retryAfter: 5)

    /// A 500 for a failure inside the server.
    public static func internalError(_ message: String) -> APIError {
        APIError(status: 500, message: message, type: "server_error", code: "internal_error")
    }

    /// The JSON body: `{"error": {"message", "type", "param", "code"}}`, with null for absent
    /// `param` and `code` as OpenAI sends them.
    public var body: ErrorBody { ErrorBody(error: .init(message: message, type: type, param: param, code: code)) }
}

/// The OpenAI error body.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The error object.
    public struct Details: Codable, Sendable, Equatable {
        /// What went wrong.
        public var message: String
        /// The error class.
        public var type: String
        /// The field at fault.
        public var param: String?
        /// A machine-readable code.
        public var code: String?

        enum CodingKeys: String, CodingKey { case message, type, param, code }

        /// Encodes every key, absent values as null.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(type, forKey: .type)
            try container.encode(param, forKey: .param)
            try container.encode(code, forKey: .code)
        }
    }

    /// The error object.
    public var error: Details
}
