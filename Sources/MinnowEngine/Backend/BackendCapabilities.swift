import MinnowGGUF

/// What a backend can run, asked up front: selection and batched generation read it instead of
/// trying and catching an error.
public struct BackendCapabilities: Sendable, Equatable {
    /// The most sequences one KV cache may hold (1: one sequence at a time; batched generation
    /// of more sequences then fails with ``BackendError/multipleSequences(backend:)`` before a
    /// cache is made).
    public var maxSequences: Int
    /// The op kinds it runs. A kind added in a later version is not in the set of a backend
    /// compiled before it, so that backend is never given a graph with that op.
    public var operations: Set<OpKind>
    /// The weight types it runs the weighted ops (``OpKind/weighted``) with.
    public var weightTypes: Set<GGMLType>

    /// Capabilities; by default every op kind of this version.
    public init(maxSequences: Int, operations: Set<OpKind> = Set(OpKind.allCases), weightTypes: Set<GGMLType>) {
        self.maxSequences = max(1, maxSequences)
        self.operations = operations
        self.weightTypes = weightTypes
    }
}
