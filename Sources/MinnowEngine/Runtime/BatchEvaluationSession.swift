/// PROVISIONAL CONTRACT between the engine and the public API (owned by the engine).
///
/// Several independent sequences over one model, each with its own part of a shared KV cache,
/// whose tokens can be evaluated together: one forward pass over the weights serves a row of
/// each sequence. Not thread-safe: one owner (an actor) drives it at a time.
package protocol BatchEvaluationSession: AnyObject {
    /// Number of sequences.
    var sequenceCount: Int { get }
    /// One sequence as a session of its own: its tokens, truncation, and evaluation of its
    /// prompt alone (in batches, cancellable between them).
    func session(_ sequence: Int) -> any EvaluationSession
    /// Appends each part's tokens to its sequence, all parts in one evaluation where the
    /// backend allows, and returns the logits after each part's last token, in the parts'
    /// order. Each sequence appears in at most one part. Throws `EvaluationError.contextFull`
    /// before evaluating anything when a part does not fit its sequence.
    func evaluate(_ parts: [SequencePart]) throws -> [[Float]]
}

/// Tokens to append to one sequence of a ``BatchEvaluationSession``.
package struct SequencePart: Sendable, Equatable {
    /// The sequence.
    package var sequence: Int
    /// The tokens, in order.
    package var tokens: [Int32]

    /// A part.
    package init(sequence: Int, tokens: [Int32]) {
        self.sequence = sequence
        self.tokens = tokens
    }
}

/// A ``BatchEvaluationSession`` made of separate sessions, evaluated one after the other: for
/// sessions with no shared cache (test doubles). It computes what a batch computes, without the
/// shared passes over the weights.
package final class SeparateSessions: BatchEvaluationSession {
    private let sessions: [any EvaluationSession]

    /// Wraps `sessions`, one per sequence.
    package init(_ sessions: [any EvaluationSession]) {
        self.sessions = sessions
    }

    /// Number of sequences.
    package var sequenceCount: Int { sessions.count }

    /// Sequence `sequence`'s own session.
    package func session(_ sequence: Int) -> any EvaluationSession { sessions[sequence] }

    /// Evaluates each part in its own session.
    package func evaluate(_ parts: [SequencePart]) throws -> [[Float]] {
        for part in parts {
            let session = sessions[part.sequence]
            let requested = session.tokens.count + part.tokens.count
            if requested > session.capacity {
                throw EvaluationError.contextFull(capacity: session.capacity, requested: requested)
            }
        }
        return try parts.map { try sessions[$0.sequence].evaluate($0.tokens, shouldContinue: { true }) }
    }
}
