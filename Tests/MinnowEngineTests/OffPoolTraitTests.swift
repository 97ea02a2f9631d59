import Foundation
import MinnowTestTraits
import Testing

/// `.offPool` really moves a test's body off Swift's cooperative pool: synchronous and async
/// bodies run on the trait's own thread.
@Suite(.offPool) struct OffPoolTraitTests {
    @Test func aSynchronousBodyRunsOnItsOwnThread() {
        #expect(Self.isOffPool())
    }

    @Test func anAsyncBodyRunsOnItsOwnThreadAfterASuspension() async {
        await Task.yield()
        #expect(Self.isOffPool())
    }

    /// Whether this runs on the trait's thread (a synchronous function: `Thread.current` is
    /// unavailable in async code, and the thread is exactly what is being checked here).
    static func isOffPool() -> Bool { ThreadTaskExecutor.isCurrentThread }
}

