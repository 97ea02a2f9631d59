import MinnowEngine

/// The seam between the public API and the engine: a loaded model that can open evaluation
/// sessions (each with its own KV cache).
package protocol ModelRuntime: Sendable {
    /// A new evaluation session with an empty KV cache.
    func makeSession() throws -> any EvaluationSession
}
