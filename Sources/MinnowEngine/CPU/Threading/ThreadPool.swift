import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A persistent pool of worker threads that run the tasks of one parallel loop at a time.
///
/// Workers spin while jobs arrive back to back (a forward pass issues hundreds of them, a few
/// microseconds apart), so a job costs no wake-up; after about a millisecond without work they
/// block on a condition variable, so an idle pool costs no CPU. The calling thread takes part in
/// every job. Not reentrant: one `run` at a time.
package final class ThreadPool: @unchecked Sendable {
    /// Number of threads that run a job, the caller included.
    package let threadCount: Int
    private let core: PoolCore
    private var threads: [pthread_t] = []

    /// Starts `threadCount - 1` workers.
    package init(threadCount: Int) {
        self.threadCount = max(1, threadCount)
        core = PoolCore()
        for _ in 1..<self.threadCount {
            let box = Unmanaged.passRetained(core).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                Unmanaged<PoolCore>.fromOpaque(raw).takeRetainedValue().workerLoop()
                return nil
            }, box)
            if status == 0 { threads.append(thread) } else { Unmanaged<PoolCore>.fromOpaque(box).release() }
        }
        core.workerCount = threads.count
    }

    deinit {
        core.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Runs `body(i)` for every i in 0..<tasks, spread over the pool, and returns when all are
    /// done. Tasks are handed out dynamically, so a slowed thread takes fewer.
    package func run(tasks: Int, _ body: (Int) -> Void) {
        if tasks <= 0 { return }
        if threads.isEmpty || tasks == 1 {
            for i in 0..<tasks { body(i) }
            return
        }
        withoutActuallyEscaping(body) { core.run(tasks: tasks, body: $0) }
    }
}

/// The state shared by the pool's threads.
private final class PoolCore: @unchecked Sendable {
    struct Job {
        let taskCount: Int
        let body: (Int) -> Void
    }

    var workerCount = 0
    private let generation = Atomic<Int>(0)
    private let pending = Atomic<Int>(0)
    private let nextTask = Atomic<Int>(0)
    private let sleepers = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private var job: Job?
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    /// Polls of the job counter before a worker blocks (on the order of a millisecond).
    private let spinLimit = 300_000

    init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        condition.deallocate()
    }

    private func publish() {
        generation.add(1, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(condition)
            pthread_mutex_unlock(mutex)
        }
    }

    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        publish()
    }

    func run(tasks: Int, body: @escaping (Int) -> Void) {
        job = Job(taskCount: tasks, body: body)
        nextTask.store(0, ordering: .relaxed)
        pending.store(workerCount, ordering: .relaxed)
        publish()
        runTasks()
        var spins = 0
        while pending.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > 2000 { sched_yield() }
        }
        job = nil
    }

    private func runTasks() {
        guard let job else { return }
        while true {
            let task = nextTask.wrappingAdd(1, ordering: .relaxed).oldValue
            if task >= job.taskCount { break }
            job.body(task)
        }
    }

    func workerLoop() {
        var seen = 0
        while true {
            var current = generation.load(ordering: .acquiring)
            var spins = 0
            while current == seen {
                spins += 1
                if spins > spinLimit {
                    pthread_mutex_lock(mutex)
                    sleepers.add(1, ordering: .sequentiallyConsistent)
                    current = generation.load(ordering: .sequentiallyConsistent)
                    while current == seen {
                        pthread_cond_wait(condition, mutex)
                        current = generation.load(ordering: .sequentiallyConsistent)
                    }
                    sleepers.subtract(1, ordering: .sequentiallyConsistent)
                    pthread_mutex_unlock(mutex)
                    spins = 0
                } else {
                    current = generation.load(ordering: .acquiring)
                }
            }
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            runTasks()
            pending.subtract(1, ordering: .releasing)
        }
    }
}
