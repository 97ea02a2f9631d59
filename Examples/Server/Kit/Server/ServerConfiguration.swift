import Minnow
import ServerAPI

/// How the server answers: the model's id, access, limits and defaults.
public struct ServerConfiguration: Sendable {
    /// The id `/v1/models` lists and responses carry.
    public var modelID: String
    /// When set, every path but `/health` requires `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// The largest request body accepted, in bytes.
    public var maxBodyBytes: Int
    /// How long one request may take before it is stopped; nil for no limit.
    public var requestTimeout: Duration?
    /// Values for what a request leaves out.
    public var defaults: GenerationDefaults
    /// Requests that may wait for a slot; beyond them the server answers 429.
    public var queueCapacity: Int
    /// The `Retry-After` seconds of a 429.
    public var retryAfterSeconds: Int
    /// The model's context window in tokens, for error messages.
    public var contextLength: Int

    /// A configuration.
    public init(
        modelID: String, apiKey: String? = nil, maxBodyBytes: Int = 1 << 20, requestTimeout: Duration? = .seconds(600),
        defaults: GenerationDefaults = GenerationDefaults(maxTokens: 2048, temperature: 0.6), queueCapacity: Int = 16,
        retryAfterSeconds: Int = 1, contextLength: Int
    ) {
        self.modelID = modelID
        self.apiKey = apiKey
        self.maxBodyBytes = maxBodyBytes
        self.requestTimeout = requestTimeout
        self.defaults = defaults
        self.queueCapacity = queueCapacity
        self.retryAfterSeconds = retryAfterSeconds
        self.contextLength = contextLength
    }
}
