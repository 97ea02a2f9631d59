import Hummingbird
import Minnow
import ServerAPI

/// Checks the API key, turns every error into an OpenAI error body (with `Retry-After` where
/// it applies), and logs the requests the endpoints do not log themselves: errors, and answers
/// that are not generations.
struct APIMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let server: OpenAIServer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let path = request.uri.path
        let isGeneration = path == "/v1/chat/completions" || path == "/v1/completions"
        let response: Response
        do {
            if let key = server.configuration.apiKey, path != "/health" {
                guard BearerToken.matches(request.headers[.authorization], key: key) else { throw APIError.unauthorized }
            }
            response = try await next(request, context)
            if isGeneration && response.status == .ok { return response }
        } catch {
            let apiError = Self.apiError(for: error, method: request.method, path: path)
            server.log(RequestRecord(id: "-", endpoint: path, status: apiError.status, streamed: false, total: .now - start,
                                     error: apiError.message))
            return Self.response(for: apiError)
        }
        server.log(RequestRecord(id: "-", endpoint: path, status: Int(response.status.code), streamed: false, total: .now - start))
        return response
    }

    /// The OpenAI error for anything thrown by a route or the router.
    static func apiError(for error: any Error, method: HTTPRequest.Method, path: String) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? any HTTPResponseError {
            switch error.status {
            case .notFound: return .notFound(path)
            case .methodNotAllowed: return .methodNotAllowed(method.rawValue, path)
            case .contentTooLarge: return .bodyTooLarge(limit: 0)
            default:
                return APIError(status: Int(error.status.code), message: error.status.reasonPhrase, type: "invalid_request_error")
            }
        }
        return .internalError("\(error)")
    }

    /// The error's response.
    static func response(for error: APIError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let seconds = error.retryAfter { headers[.retryAfter] = String(seconds) }
        if error.status == 401 { headers[.wwwAuthenticate] = "Bearer" }
        return Response(status: HTTPResponse.Status(code: error.status), headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: JSONText.encode(error.body))))
    }
}

/// The `Authorization: Bearer <key>` check.
public enum BearerToken {
    /// Whether `header` is `Bearer <key>`, compared in time independent of where they differ.
    public static func matches(_ header: String?, key: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst("Bearer ".count).utf8)
        let expected = Array(key.utf8)
        var difference = given.count ^ expected.count
        for index in 0..<max(given.count, expected.count) {
            let a = index < given.count ? given[index] : 0
            let b = index < expected.count ? expected[index] : 0
            difference |= Int(a ^ b)
        }
        return difference == 0
    }
}
