import Foundation

/// A call count that kernel threads add to.
final class CallCount: @unchecked Sendable {
    private let lock = NSLock()
    private var calls = 0

    /// Adds a call.
    func add() {
        lock.withLock { calls += 1 }
    }

    /// The calls so far.
    var total: Int { lock.withLock { calls } }
}
