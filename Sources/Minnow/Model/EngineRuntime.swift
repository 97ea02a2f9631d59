import MinnowEngine

/// The engine's model on a chosen backend, with its weights prepared once and shared by every
/// session; each session gets its own KV cache.
struct EngineRuntime: ModelRuntime {
    let model: TransformerModel
    let backend: any Backend
    let weights: any LoadedWeights
    let capacity: Int
    let cacheType: MinnowEngine.KVCacheType
    /// For `.auto`, which backend was chosen and why (``ModelInfo/backendNote``).
    var backendNote: String?

    func makeSession() throws -> any EvaluationSession {
        do {
            return try ModelSession(model: model, backend: backend, weights: weights, capacity: capacity,
                                    cacheType: cacheType)
        } catch let error as BackendError {
            throw ModelError.backendUnavailable(error.description)
        }
    }

    func makeBatchSession(sequences: Int) throws -> any BatchEvaluationSession {
        do {
            return try MultiSequenceSession(model: model, backend: backend, weights: weights, capacity: capacity,
                                            sequences: sequences, cacheType: cacheType)
        } catch let error as BackendError {
            throw ModelError.backendUnavailable(error.description)
        }
    }
}
