import Minnow
import Synchronization
import ServerAPI

/// The requests being served: admits a new one while fewer than `capacity` are (the slots plus
/// the waiting queue), and cancels them all at shutdown.
public final class RunRegistry: Sendable {
    /// The most requests generating or waiting at once.
    public let capacity: Int
    private struct State {
        var runs: [String: GenerationRun] = [:]
        /// Admitted, run not registered yet.
        var reserved: Set<String> = []
        /// Ended before it was registered.
        var endedEarly: Set<String> = []
        var isClosed = false
    }
    private let state = Mutex(State())
    private let onPiece: @Sendable () -> Void
    private let onEnd: @Sendable (GenerationStats?, Int) -> Void

    /// A registry admitting up to `capacity` requests at once. Every run reports its pieces
    /// and its end to `onPiece` and `onEnd` (see ``GenerationRun``).
    public init(
        capacity: Int, onPiece: @escaping @Sendable () -> Void = {},
        onEnd: @escaping @Sendable (_ stats: GenerationStats?, _ pieces: Int) -> Void = { _, _ in }
    ) {
        self.capacity = max(1, capacity)
        self.onPiece = onPiece
        self.onEnd = onEnd
    }

    /// Starts a run when there is room, nil when the server is full. Its place is held until
    /// the generation ends or is cancelled. Ids must be unique.
    /// - Throws: ``APIError/shuttingDown`` once ``cancelAll(_:)`` closed the registry.
    public func start(
        id: String, timeout: Duration?, _ makeSource: () -> AsyncThrowingStream<GenerationEvent, Error>
    ) throws(APIError) -> GenerationRun? {
        let admitted: Result<Bool, APIError> = state.withLock { state in
            if state.isClosed { return .failure(.shuttingDown) }
            guard state.runs.count + state.reserved.count < capacity else { return .success(false) }
            state.reserved.insert(id)
            return .success(true)
        }
        guard try admitted.get() else { return nil }
        let onEnd = self.onEnd
        let run = GenerationRun(id: id, source: makeSource(), timeout: timeout, onPiece: onPiece) { [weak self] stats, pieces in
            self?.state.withLock { state in
                if state.runs.removeValue(forKey: id) == nil { state.endedEarly.insert(id) }
            }
            onEnd(stats, pieces)
        }
        let isClosed: Bool = state.withLock { state in
            state.reserved.remove(id)
            if state.endedEarly.remove(id) == nil { state.runs[id] = run }
            return state.isClosed
        }
        if isClosed { run.cancel(.shutdown) }
        return run
    }

    /// Requests admitted and not yet finished.
    public var count: Int { state.withLock { $0.runs.count + $0.reserved.count } }

    /// Cancels every run and refuses new ones.
    public func cancelAll(_ reason: CancelReason) {
        let current = state.withLock { state in
            state.isClosed = true
            return Array(state.runs.values)
        }
        for run in current { run.cancel(reason) }
    }
}
