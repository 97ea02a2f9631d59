import Foundation
import Testing

/// Runs a test (or every test of a suite) on a thread of its own instead of Swift's cooperative
/// thread pool.
///
/// A synchronous test body (a forward pass of a real model, a fuzzing loop) holds the thread it
/// runs on until it returns. On the cooperative pool, which has one thread per core (two here),
/// two such tests in a parallel run stop every other test's async work, and tests with time
/// limits (the fake-model and example-app suites) ran out of time waiting. With this trait the
/// body runs on a dedicated thread, through a task executor preference, and the pool stays free
/// for the async tests. Evaluation in the public API already runs on the model's own thread
/// (`EvaluationExecutor`); this does the same for tests that drive the engine directly.
public struct OffPoolTrait: TestTrait, SuiteTrait, TestScoping {
    /// Applies to each test of a suite.
    public var isRecursive: Bool { true }

    /// Runs `function` in a task that prefers a thread of its own as its executor.
    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        // The suite's own scope has no test case: only test cases get a thread.
        guard testCase != nil else {
            try await function()
            return
        }
        let executor = ThreadTaskExecutor(name: "minnow-test")
        defer { executor.shutDown() }
        // A task of its own that prefers the thread (it inherits the test's task-local values,
        // through which issues are recorded); the test's cancellation, by its time limit, is
        // passed on to it.
        try await withoutActuallyEscaping(function) { function in
            // The task is awaited before this returns, so `function` does not outlive the call.
            let task = Task(executorPreference: executor) { try await function() }
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        }
    }
}

extension Trait where Self == OffPoolTrait {
    /// Runs the test, or each test of the suite, on a thread of its own, off Swift's cooperative
    /// pool: for long synchronous bodies (see ``OffPoolTrait``).
    public static var offPool: Self { OffPoolTrait() }
}

/// A task executor backed by one thread, which runs its jobs in order until shut down.
public final class ThreadTaskExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var closed = false

    /// Starts the thread, named `name`.
    public init(name: String) {
        let thread = Thread { [self] in
            Thread.current.threadDictionary[Self.marker] = true
            while let job = next() { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
        thread.name = name
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Queues a job for the thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs already queued have run.
    public func shutDown() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    private static let marker = "minnow.ThreadTaskExecutor"

    /// Whether the calling thread is one of these executors' threads.
    public static var isCurrentThread: Bool {
        Thread.current.threadDictionary[marker] as? Bool ?? false
    }

    private func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while jobs.isEmpty && !closed { condition.wait() }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }
}
