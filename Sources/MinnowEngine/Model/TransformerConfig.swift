/// The hyperparameters of a decoder-only transformer, read from model metadata.
public struct TransformerConfig: Sendable, Equatable {
    /// The architecture.
    public var architecture: ModelArchitecture
    /// Width of the residual stream.
    public var embeddingLength: Int
    /// Number of transformer blocks.
    public var blockCount: Int
    /// Width of the MLP's hidden layer.
    public var feedForwardLength: Int
    /// Number of query heads.
    public var headCount: Int
    /// Number of key/value heads.
    public var kvHeadCount: Int
    /// Values per head.
    public var headSize: Int
    /// RMSNorm ε.
    public var rmsEpsilon: Float
    /// Rotary embedding settings.
    public var rope: RoPEConfig
    /// The context length the model was trained for.
    public var trainedContextLength: Int

    /// Reads the hyperparameters of `general.architecture` from `metadata`.
    package init(metadata: some ModelMetadata) throws {
        guard let archName = metadata.string("general.architecture") else { throw ModelConfigError.missingMetadata("general.architecture") }
        guard let arch = ModelArchitecture(rawValue: archName) else { throw ModelConfigError.unsupportedArchitecture(archName) }
        architecture = arch
        func positive(_ suffix: String) throws -> Int {
            let key = "\(archName).\(suffix)"
            guard let v = metadata.int(key) else { throw ModelConfigError.missingMetadata(key) }
            guard v > 0, v < 1 << 24 else { throw ModelConfigError.invalidMetadata(key: key, reason: "\(v) is out of range") }
            return v
        }
        embeddingLength = try positive("embedding_length")
        blockCount = try positive("block_count")
        feedForwardLength = try positive("feed_forward_length")
        headCount = try positive("attention.head_count")
        kvHeadCount = metadata.int("\(archName).attention.head_count_kv") ?? headCount
        guard kvHeadCount > 0, headCount % kvHeadCount == 0 else {
            throw ModelConfigError.invalidMetadata(key: "\(archName).attention.head_count_kv", reason: "\(kvHeadCount) does not divide \(headCount) heads")
        }
        headSize = metadata.int("\(archName).attention.key_length") ?? embeddingLength / headCount
        guard headSize > 0, headSize % 2 == 0, headSize <= 1024 else {
            throw ModelConfigError.invalidMetadata(key: "\(archName).attention.key_length", reason: "head size \(headSize)")
        }
        if let valueLength = metadata.int("\(archName).attention.value_length"), valueLength != headSize {
            throw ModelConfigError.invalidMetadata(key: "\(archName).attention.value_length", reason: "\(valueLength) differs from the key length \(headSize)")
        }
        rmsEpsilon = metadata.float("\(archName).attention.layer_norm_rms_epsilon") ?? 1e-5
        trainedContextLength = metadata.int("\(archName).context_length") ?? 4096
        let ropeDimensions = metadata.int("\(archName).rope.dimension_count") ?? headSize
        guard ropeDimensions > 0, ropeDimensions <= headSize, ropeDimensions % 2 == 0 else {
            throw ModelConfigError.invalidMetadata(key: "\(archName).rope.dimension_count", reason: "\(ropeDimensions) in a head of \(headSize)")
        }
        let base = metadata.float("\(archName).rope.freq_base") ?? 10_000
        var factors: [Float]? = nil
        if metadata.string("\(archName).rope.scaling.type") == "llama3" {
            let scaling = Llama3RoPEScaling(
                factor: metadata.float("\(archName).rope.scaling.factor") ?? 8,
                lowFrequencyFactor: metadata.float("\(archName).rope.scaling.low_freq_factor") ?? 1,
                highFrequencyFactor: metadata.float("\(archName).rope.scaling.high_freq_factor") ?? 4,
                originalContextLength: metadata.int("\(archName).rope.scaling.original_context_length") ?? 8192)
            factors = scaling.frequencyFactors(dimensions: ropeDimensions, frequencyBase: base)
        }
        rope = RoPEConfig(style: arch.ropeStyle, dimensions: ropeDimensions, frequencyBase: base, frequencyFactors: factors)
    }

    /// Values per position and layer in the KV cache.
    public var kvWidth: Int { kvHeadCount * headSize }
}
