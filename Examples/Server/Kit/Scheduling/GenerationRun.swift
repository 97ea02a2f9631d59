import Minnow
import Synchronization
import ServerAPI

/// Why the server stopped a generation before it ended by itself.
public enum CancelReason: String, Sendable, CaseIterable {
    /// The client went away mid-answer.
    case disconnected
    /// The request ran past the server's time limit.
    case timeout
    /// The server is shutting down.
    case shutdown
}

/// One request's generation, relayed through a stream the server can stop from outside: on a
/// timeout, at shutdown, or when the client disconnects. Stopping it ends the relay at once and
/// drops the generator's stream, which makes ``BatchGenerator`` stop that call within one
/// token and free its slot.
public final class GenerationRun: Sendable {
    /// The request's id.
    public let id: String
    /// The generation's events, ending early when the run is cancelled.
    public let events: AsyncThrowingStream<GenerationEvent, Error>
    private let pump: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let timer: Mutex<Task<Void, Never>?> = Mutex(nil)
    private let reason = Mutex<CancelReason?>(nil)

    /// Starts relaying `source`. `onPiece` runs for each piece of text relayed; `onEnd` runs
    /// once, when the source has ended or the run was cancelled, with the final statistics (nil
    /// when cancelled) and the number of pieces relayed. A `timeout` cancels the run with
    /// ``CancelReason/timeout``.
    public init(
        id: String, source: AsyncThrowingStream<GenerationEvent, Error>, timeout: Duration?,
        onPiece: @escaping @Sendable () -> Void = {},
        onEnd: @escaping @Sendable (_ stats: GenerationStats?, _ pieces: Int) -> Void
    ) {
        self.id = id
        let (events, relay) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        self.events = events
        // The task holds the run until the source ends or the run is cancelled.
        let pumpTask = Task {
            var stats: GenerationStats?
            var pieces = 0
            defer {
                self.timer.withLock { $0?.cancel() }
                onEnd(stats, pieces)
            }
            do {
                for try await event in source {
                    switch event {
                    case .reasoning, .text, .toolCall:
                        pieces += 1
                        onPiece()
                    case .done(let final):
                        stats = final
                    }
                    relay.yield(event)
                }
                relay.finish()
            } catch {
                relay.finish(throwing: error)
            }
        }
        pump.withLock { $0 = pumpTask }
        // A consumer whose task is cancelled while it waits for an event stops the generation
        // too. (One that just stops reading must call cancel(_:): the run, held by its
        // registry and its task until the generation ends, keeps the relay open.)
        relay.onTermination = { _ in pumpTask.cancel() }
        if let timeout {
            let timerTask = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { self?.cancel(.timeout) }
            }
            self.timer.withLock { $0 = timerTask }
        }
    }

    /// Stops the generation; the first reason given is kept.
    public func cancel(_ reason: CancelReason) {
        self.reason.withLock { if $0 == nil { $0 = reason } }
        pump.withLock { $0?.cancel() }
    }

    /// Why the run was cancelled; nil when it was not.
    public var cancelReason: CancelReason? { reason.withLock { $0 } }
}
