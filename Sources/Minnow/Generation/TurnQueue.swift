/// A first-come, first-served lock for one actor's generations: a generation waits until the
/// previous one has finished, so overlapping calls are serialized, never interleaved.
///
/// Owned and used only by its actor (it relies on the actor's isolation).
struct TurnQueue {
    private var isBusy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Whether a generation is running.
    var busy: Bool { isBusy }

    /// Takes the lock, or returns the continuation point to wait on.
    mutating func tryAcquire() -> Bool {
        if isBusy { return false }
        isBusy = true
        return true
    }

    /// Queues a waiter; it is resumed holding the lock.
    mutating func enqueue(_ waiter: CheckedContinuation<Void, Never>) {
        waiters.append(waiter)
    }

    /// Releases the lock, handing it to the next waiter if there is one.
    mutating func release() {
        if waiters.isEmpty {
            isBusy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
