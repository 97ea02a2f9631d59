import MinnowEngine

/// The seam between the public API and the engine: a loaded model that can open evaluation
/// sessions (each with its own KV cache).
package protocol ModelRuntime: Sendable {
    /// A new evaluation session with an empty KV cache.
    func makeSession() throws -> any EvaluationSession
    /// A new session of `sequences` sequences, each with an empty part of one KV cache, whose
    /// tokens can be evaluated together (see ``BatchGenerator``).
    func makeBatchSession(sequences: Int) throws -> any BatchEvaluationSession
    /// This runtime with logits over only the token ids `rows` (in that order), its output
    /// matrix gathered once from the kept rows, for a draft model in speculative decoding; nil
    /// where the runtime cannot (then the full vocabulary is used).
    func restrictingOutput(to rows: [Int]) throws -> (any ModelRuntime)?
}

extension ModelRuntime {
    /// Not available by default.
    package func restrictingOutput(to rows: [Int]) throws -> (any ModelRuntime)? { nil }
}
