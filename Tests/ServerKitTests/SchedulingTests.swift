import Minnow
import ServerKit
import Synchronization
import Testing
import ServerAPI

/// A flag settable from any thread.
final class Flag: Sendable {
    private let value = Mutex(false)
    func raise() { value.withLock { $0 = true } }
    var isRaised: Bool { value.withLock { $0 } }
}

/// A generation that never ends by itself, and tells when its consumer went away.
final class EndlessSource: Sendable {
    let stream: AsyncThrowingStream<GenerationEvent, Error>
    private let terminated = Flag()

    init() {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        self.stream = stream
        continuation.yield(.text("a"))
        let flag = terminated
        continuation.onTermination = { _ in flag.raise() }
    }

    var isTerminated: Bool { terminated.isRaised }
}

@Suite(.timeLimit(.minutes(1))) struct SchedulingTests {
    @Test func theRegistryAdmitsUpToItsCapacityAndFreesPlacesAsRunsEnd() async throws {
        let registry = RunRegistry(capacity: 2)
        let sources = [EndlessSource(), EndlessSource(), EndlessSource()]
        let first = try #require(try registry.start(id: "1", timeout: nil) { sources[0].stream })
        let second = try #require(try registry.start(id: "2", timeout: nil) { sources[1].stream })
        #expect(registry.count == 2)
        #expect(try registry.start(id: "3", timeout: nil) { sources[2].stream } == nil)
        first.cancel(.disconnected)
        // The source is dropped (which is what stops BatchGenerator's call) and the place freed.
        while registry.count != 1 || !sources[0].isTerminated { try await Task.sleep(for: .milliseconds(1)) }
        #expect(first.cancelReason == .disconnected)
        let third = try #require(try registry.start(id: "3", timeout: nil) { sources[2].stream })
        second.cancel(.disconnected)
        third.cancel(.disconnected)
        while registry.count != 0 { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func aRunRelaysItsEventsAndEndsWithItsSource() async throws {
        let registry = RunRegistry(capacity: 1)
        let (source, continuation) = AsyncThrowingStream.makeStream(of: GenerationEvent.self)
        let run = try #require(try registry.start(id: "r", timeout: .seconds(600)) { source })
        continuation.yield(.text("x"))
        continuation.yield(.done(GenerationStats(stopReason: .endOfSequence)))
        continuation.finish()
        var received: [GenerationEvent] = []
        for try await event in run.events { received.append(event) }
        #expect(received == [.text("x"), .done(GenerationStats(stopReason: .endOfSequence))])
        #expect(run.cancelReason == nil)
        while registry.count != 0 { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func aTimeoutStopsTheRunAndItsSource() async throws {
        let registry = RunRegistry(capacity: 1)
        let source = EndlessSource()
        let run = try #require(try registry.start(id: "t", timeout: .milliseconds(20)) { source.stream })
        var pieces = 0
        for try await _ in run.events { pieces += 1 }
        #expect(pieces == 1)
        #expect(run.cancelReason == .timeout)
        while !source.isTerminated || registry.count != 0 { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func aCancelledConsumerStopsTheSource() async throws {
        let registry = RunRegistry(capacity: 1)
        let source = EndlessSource()
        let run = try #require(try registry.start(id: "d", timeout: nil) { source.stream })
        let reading = Flag()
        let consumer = Task {
            for try await _ in run.events { reading.raise() }
        }
        while !reading.isRaised { try await Task.sleep(for: .milliseconds(1)) }
        consumer.cancel()
        while !source.isTerminated || registry.count != 0 { try await Task.sleep(for: .milliseconds(1)) }
        _ = await consumer.result
    }

    @Test func shutdownCancelsEveryRunAndRefusesNewOnes() async throws {
        let registry = RunRegistry(capacity: 4)
        let sources = [EndlessSource(), EndlessSource()]
        let runs = try sources.enumerated().map { index, source in
            try #require(try registry.start(id: "\(index)", timeout: nil) { source.stream })
        }
        registry.cancelAll(.shutdown)
        #expect(runs.allSatisfy { $0.cancelReason == .shutdown })
        #expect(throws: APIError.shuttingDown) { try registry.start(id: "late", timeout: nil) { EndlessSource().stream } }
        while !sources.allSatisfy(\.isTerminated) || registry.count != 0 { try await Task.sleep(for: .milliseconds(1)) }
    }

    @Test func theRateMeterCountsOnlyTheWindow() {
        let meter = TokenRateMeter(window: .seconds(10))
        let start = ContinuousClock.now
        meter.add(50, at: start)
        meter.add(30, at: start + .seconds(8))
        #expect(meter.tokensPerSecond(at: start + .seconds(9)) == 8)
        #expect(meter.tokensPerSecond(at: start + .seconds(15)) == 3)
        #expect(meter.tokensPerSecond(at: start + .seconds(30)) == 0)
    }
}
