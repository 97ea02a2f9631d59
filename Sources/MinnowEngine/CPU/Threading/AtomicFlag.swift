import Synchronization

/// A flag that any thread may raise and any thread may read.
final class AtomicFlag: Sendable {
    private let value = Atomic<Bool>(false)

    /// Raises the flag.
    func set() { value.store(true, ordering: .relaxed) }

    /// Whether the flag was raised.
    var isSet: Bool { value.load(ordering: .relaxed) }
}
