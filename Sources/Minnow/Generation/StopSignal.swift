import Synchronization

/// A flag that asks a running generation to stop, set from any task.
final class StopSignal: Sendable {
    private let flag = Mutex(false)

    /// Asks the generation to stop.
    func raise() { flag.withLock { $0 = true } }

    /// Whether a stop was asked for.
    var isRaised: Bool { flag.withLock { $0 } }
}
