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

    /// On the CPU backend, a runtime over ``TransformerModel/restrictingOutput(to:)`` sharing this
    /// one's backend (its weights are prepared again, but the CPU backend reads them from the
    /// file's map and copies a matrix only when a matmul first uses it, so a model used only for
    /// drafting holds its weights once; ``Model/restrictedRuntime(keeping:)`` makes one per
    /// kept-row set and shares it). Nil on other backends, which would upload the whole model a
    /// second time.
    func restrictingOutput(to rows: [Int]) throws -> (any ModelRuntime)? {
        guard backend is CPUBackend else { return nil }
        let restricted = try model.restrictingOutput(to: rows)
        let loaded: any LoadedWeights
        do {
            loaded = try backend.loadWeights(restricted.weights)
        } catch let error as BackendError {
            throw ModelError.backendUnavailable(error.description)
        }
        return EngineRuntime(model: restricted, backend: backend, weights: loaded, capacity: capacity,
                             cacheType: cacheType, backendNote: backendNote)
    }
}
