import Foundation

/// A serial executor with a thread of its own, on which a model's evaluations run.
///
/// A forward pass is long synchronous work (seconds for a long prompt). Run on Swift's
/// cooperative thread pool, which has one thread per core, it would hold a pool thread for its
/// whole length and starve every other task of the process: a UI, a signal handler's follow-up,
/// other tests. The actors that drive evaluations (``ChatSession``, the raw completions of
/// ``Model``, ``BatchGenerator``) therefore use this executor: their code, forward passes
/// included, runs on this thread, never on the pool. Cancellation still works, since a job runs
/// inside its task (`Task.isCancelled` is the task's own).
///
/// One executor (one thread) per ``Model``: the model's backend runs one graph at a time anyway,
/// and sessions of one model take turns token by token. The thread ends when the executor is
/// released.
package final class EvaluationExecutor: SerialExecutor, @unchecked Sendable {
    private let queue: JobQueue

    /// Starts the thread, named `name` (as a debugger or `top -H` shows it).
    package init(name: String = "minnow-evaluation") {
        queue = JobQueue()
        let queue = self.queue
        let executor = UnownedSerialExecutor(ordinary: self)
        let thread = Thread {
            while let job = queue.next() {
                job.runSynchronously(on: executor)
            }
        }
        thread.name = name
        // Model code keeps little on the stack, but kernels use temporary buffers: a generous
        // stack, as a main thread has.
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit {
        // No actor can enqueue a job any more (each keeps its executor alive): let the thread end.
        queue.close()
    }

    /// Queues a job to run on the thread, in order.
    package func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }

    /// This executor, as actors return it from `unownedExecutor`.
    package func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}

/// The jobs waiting for an ``EvaluationExecutor``'s thread.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var closed = false

    func push(_ job: UnownedJob) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    /// The next job, waiting for one; nil once closed and drained.
    func next() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if closed { return nil }
            condition.wait()
        }
        let job = jobs[head]
        head += 1
        if head > 64 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
