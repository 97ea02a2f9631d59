/// The graphs of one model, built once per batch shape and kept for reuse.
struct GraphCache {
    private struct Key: Hashable {
        let batch: Int
        let allLogits: Bool
    }

    let model: TransformerModel
    private var graphs: [Key: Graph] = [:]

    init(model: TransformerModel) {
        self.model = model
    }

    /// The forward pass for `batch` rows, with every row's logits or only the last row's.
    mutating func graph(batch: Int, allLogits: Bool) throws -> Graph {
        let key = Key(batch: batch, allLogits: allLogits)
        if let g = graphs[key] { return g }
        let g = try model.graph(batchSize: batch, allLogits: allLogits)
        // Every prompt length is a new shape: keep a bounded number.
        if graphs.count > 16 { graphs.removeAll() }
        graphs[key] = g
        return g
    }

    /// Throws when `tokens` holds an id outside the embedding table.
    func checkTokens(_ tokens: [Int32]) throws {
        let vocabulary = model.weights.info(model.tokenEmbedding).rowCount
        if let bad = tokens.first(where: { $0 < 0 || Int($0) >= vocabulary }) { throw EvaluationError.invalidToken(bad) }
    }
}
