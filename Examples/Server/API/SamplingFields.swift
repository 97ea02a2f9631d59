import Minnow

/// The generation parameters both endpoints share, as sent, before validation.
public struct SamplingFields: Sendable, Equatable {
    /// `max_tokens` or `max_completion_tokens`.
    public var maxTokens: Int?
    /// `temperature`, 0 to 2.
    public var temperature: Double?
    /// `top_p`, above 0 and at most 1.
    public var topP: Double?
    /// `seed`; negative seeds are taken bit for bit.
    public var seed: Int64?
    /// `stop`.
    public var stop: StopField?
    /// `presence_penalty`, -2 to 2.
    public var presencePenalty: Double?
    /// `frequency_penalty`, -2 to 2.
    public var frequencyPenalty: Double?
    /// `n`; only 1 is supported.
    public var n: Int?
    /// `thinking_budget` (a Minnow extension): the most tokens an R1 model may spend reasoning
    /// before Minnow closes its thought.
    public var thinkingBudget: Int?
    /// `response_format`: the shape the answer must take (a Minnow extension on
    /// `/v1/completions`).
    public var responseFormat: ResponseFormat?

    /// Fields as sent.
    public init(
        maxTokens: Int? = nil, temperature: Double? = nil, topP: Double? = nil, seed: Int64? = nil, stop: StopField? = nil,
        presencePenalty: Double? = nil, frequencyPenalty: Double? = nil, n: Int? = nil, thinkingBudget: Int? = nil,
        responseFormat: ResponseFormat? = nil
    ) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.seed = seed
        self.stop = stop
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.n = n
        self.thinkingBudget = thinkingBudget
        self.responseFormat = responseFormat
    }
}

extension SamplingFields: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case temperature, seed, stop, n
        case maxTokens = "max_tokens"
        case maxCompletionTokens = "max_completion_tokens"
        case topP = "top_p"
        case presencePenalty = "presence_penalty"
        case frequencyPenalty = "frequency_penalty"
        case thinkingBudget = "thinking_budget"
        case responseFormat = "response_format"
    }

    /// The body keys these fields are read from.
    public static let keys = Set(CodingKeys.allCases.map(\.rawValue))

    /// Reads the fields from a request body (the endpoints check first which keys they take).
    /// `max_tokens` and `max_completion_tokens` are one field: both may be sent only with the
    /// same value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let maxTokens = try container.decodeInteger(Int.self, forKey: .maxTokens)
        let maxCompletionTokens = try container.decodeInteger(Int.self, forKey: .maxCompletionTokens)
        if let maxTokens, let maxCompletionTokens, maxTokens != maxCompletionTokens {
            throw APIError.invalidRequest("Give 'max_tokens' or 'max_completion_tokens', not two different values.",
                                          param: "max_completion_tokens", code: "invalid_value")
        }
        self.init(
            maxTokens: maxCompletionTokens ?? maxTokens,
            temperature: try container.decodeIfPresent(Double.self, forKey: .temperature),
            topP: try container.decodeIfPresent(Double.self, forKey: .topP),
            seed: try container.decodeInteger(Int64.self, forKey: .seed),
            stop: try container.decodeIfPresent(StopField.self, forKey: .stop),
            presencePenalty: try container.decodeIfPresent(Double.self, forKey: .presencePenalty),
            frequencyPenalty: try container.decodeIfPresent(Double.self, forKey: .frequencyPenalty),
            n: try container.decodeInteger(Int.self, forKey: .n),
            thinkingBudget: try container.decodeInteger(Int.self, forKey: .thinkingBudget),
            responseFormat: try container.decodeIfPresent(ResponseFormat.self, forKey: .responseFormat))
    }
}

/// The server's defaults for what a request leaves out.
public struct GenerationDefaults: Sendable, Equatable {
    /// Tokens generated when the request gives no `max_tokens`.
    public var maxTokens: Int
    /// The temperature when the request gives none.
    public var temperature: Double
    /// The reasoning budget when the request gives none (nil: no limit).
    public var thinkingBudget: Int?

    /// Defaults.
    public init(maxTokens: Int, temperature: Double, thinkingBudget: Int? = nil) {
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.thinkingBudget = thinkingBudget
    }
}

extension SamplingFields {
    /// The validated parameters, with `defaults` for what is missing. OpenAI's semantics: no
    /// top-k, no min-p, no repetition penalty; `maxTokensParam` names the field in errors.
    /// A `response_format` becomes ``GenerationParameters/constraint`` (its schema compiled
    /// here, so a bad one is a 400 before the request queues).
    public func parameters(defaults: GenerationDefaults, maxTokensParam: String = "max_tokens") throws(APIError)
        -> GenerationParameters
    {
        if let n, n != 1 {
            throw .invalidRequest("Only n=1 is supported (got \(n)).", param: "n", code: "unsupported_value")
        }
        let maxTokens = self.maxTokens ?? defaults.maxTokens
        guard maxTokens >= 1 else {
            throw .invalidRequest("'\(maxTokensParam)' must be at least 1 (got \(maxTokens)).", param: maxTokensParam,
                                  code: "invalid_value")
        }
        let temperature = self.temperature ?? defaults.temperature
        guard (0...2).contains(temperature) else {
            throw .invalidRequest("'temperature' must be between 0 and 2 (got \(temperature)).", param: "temperature",
                                  code: "invalid_value")
        }
        let topP = self.topP ?? 1
        guard topP > 0 && topP <= 1 else {
            throw .invalidRequest("'top_p' must be above 0 and at most 1 (got \(topP)).", param: "top_p", code: "invalid_value")
        }
        for (name, value) in [("presence_penalty", presencePenalty), ("frequency_penalty", frequencyPenalty)] {
            if let value, !(-2...2).contains(value) {
                throw .invalidRequest("'\(name)' must be between -2 and 2 (got \(value)).", param: name, code: "invalid_value")
            }
        }
        let stopStrings = stop?.strings ?? []
        guard stopStrings.count <= 4 else {
            throw .invalidRequest("'stop' takes at most 4 strings (got \(stopStrings.count)).", param: "stop", code: "invalid_value")
        }
        guard !stopStrings.contains("") else {
            throw .invalidRequest("'stop' strings must not be empty.", param: "stop", code: "invalid_value")
        }
        let budget = thinkingBudget ?? defaults.thinkingBudget
        if let budget, budget < 0 {
            throw .invalidRequest("'thinking_budget' must be 0 or more (got \(budget)).", param: "thinking_budget",
                                  code: "invalid_value")
        }
        var parameters = GenerationParameters(
            maxTokens: maxTokens, temperature: Float(temperature), topK: 0, topP: Float(topP), minP: 0,
            repetitionPenalty: 1, presencePenalty: Float(presencePenalty ?? 0), frequencyPenalty: Float(frequencyPenalty ?? 0),
            seed: seed.map { UInt64(bitPattern: $0) }, stopStrings: stopStrings,
            reasoning: ReasoningOptions(isVisible: true, thinkingBudget: budget))
        parameters.constraint = try responseFormat?.constraint()
        return parameters
    }
}
