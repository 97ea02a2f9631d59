import Foundation
import Synchronization
import Testing
import MinnowEngine

@Suite struct ThreadPoolTests {
    @Test(arguments: [1, 2, 4])
    func runsEveryTaskOnce(threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        for round in 0..<200 {
            let tasks = 1 + round % 37
            // Each task increments its own slot: a task run twice or never shows as a count ≠ 1.
            let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: tasks)
            counts.initialize(repeating: 0)
            pool.run(tasks: tasks) { i in counts[i] += 1 }
            #expect(counts.allSatisfy { $0 == 1 })
            counts.deallocate()
        }
    }

    @Test func wakesAfterBlocking() throws {
        let pool = ThreadPool(threadCount: 2)
        let total = Atomic<Int>(0)
        pool.run(tasks: 8) { _ in total.add(1, ordering: .relaxed) }
        // Long enough for the worker to stop spinning and block.
        usleep(50_000)
        pool.run(tasks: 8) { _ in total.add(1, ordering: .relaxed) }
        #expect(total.load(ordering: .relaxed) == 16)
    }
}
