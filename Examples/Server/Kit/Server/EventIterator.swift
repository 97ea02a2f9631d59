import Minnow
import ServerAPI

/// The iterator of a run's events, handed from the request handler (which reads the first
/// event, to answer errors such as an over-long prompt with a proper status) to the response
/// body writer (which reads the rest).
///
/// `@unchecked Sendable`: the iterator is used by one task at a time, the handler and then the
/// body writer that runs after the handler returned; never by both.
final class EventIterator: @unchecked Sendable {
    private var iterator: AsyncThrowingStream<GenerationEvent, Error>.Iterator

    init(_ events: AsyncThrowingStream<GenerationEvent, Error>) {
        iterator = events.makeAsyncIterator()
    }

    func next() async throws -> GenerationEvent? {
        try await iterator.next()
    }
}
