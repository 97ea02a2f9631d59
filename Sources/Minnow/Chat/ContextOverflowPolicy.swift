/// What a chat does when the conversation no longer fits the context window.
public enum ContextOverflowPolicy: Sendable, Equatable {
    /// Stop, with the stop reason ``StopReason/contextFull``.
    case stop
    /// Drop the oldest turns (the instructions are kept) until the conversation fits with room
    /// to spare, and go on.
    case dropOldestTurns
}
