import MinnowBackendSDK

/// A model's size as llama-bench reports it, and the weight bytes one decoded token reads.
struct ModelFootprint: Sendable {
    /// Bytes of tensor data.
    let bytes: Int
    /// Tensor elements.
    let parameters: Int
    /// Bytes of every weight but the token embedding (one row of it is read per token), or
    /// of all weights when the output projection reuses the embedding.
    let bytesPerToken: Int

    init(_ model: TransformerModel) {
        let weights = model.weights
        var bytes = 0, parameters = 0, embedding = 0
        for (info, data) in zip(weights.infos, weights.data) {
            bytes += data.count
            parameters += info.elementCount
            if info.name == "token_embd.weight" { embedding = data.count }
        }
        self.bytes = bytes
        self.parameters = parameters
        self.bytesPerToken = model.tiedEmbeddings ? bytes : bytes - embedding
    }
}
