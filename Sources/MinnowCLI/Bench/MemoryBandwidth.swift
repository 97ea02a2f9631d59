import Dispatch
import Foundation

/// Measures how fast this machine reads memory: threads each sum their slice of a buffer much
/// larger than the caches, with 64-byte vector loads, and the best of several passes counts.
enum MemoryBandwidth {
    /// Read bandwidth in bytes per second with `threads` threads over `bytes` bytes.
    static func measure(threads: Int, bytes: Int = 512 << 20, passes: Int = 5) -> Double {
        typealias Vector = SIMD8<UInt64>
        let stride = MemoryLayout<Vector>.stride
        let threads = max(1, threads)
        let vectorsPerThread = max(1, bytes / stride / threads)
        let total = vectorsPerThread * threads
        let buffer = UnsafeMutablePointer<Vector>.allocate(capacity: total)
        defer { buffer.deallocate() }
        // Touch every page, so that no page fault is timed.
        for i in 0..<total { buffer[i] = Vector(repeating: UInt64(truncatingIfNeeded: i)) }
        // Passed as an address: pointers are not Sendable, and each thread only reads.
        let address = Int(bitPattern: buffer)
        let sink = SinkBox()
        var best = Double.infinity
        for _ in 0..<max(1, passes) {
            let start = now()
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                guard let base = UnsafePointer<Vector>(bitPattern: address) else { return }
                let slice = base + t * vectorsPerThread
                var a = Vector(), b = Vector(), c = Vector(), d = Vector()
                var i = 0
                while i + 4 <= vectorsPerThread {
                    a &+= slice[i]; b &+= slice[i + 1]; c &+= slice[i + 2]; d &+= slice[i + 3]
                    i += 4
                }
                while i < vectorsPerThread { a &+= slice[i]; i += 1 }
                sink.add(((a &+ b) &+ (c &+ d)).wrappedSum())
            }
            best = min(best, now() - start)
        }
        _ = sink.value
        return Double(total * stride) / best
    }
}

/// Keeps the sums alive so the reads are not optimized away.
private final class SinkBox: @unchecked Sendable {
    private let lock = NSLock()
    private var sum: UInt64 = 0
    func add(_ x: UInt64) { lock.lock(); sum &+= x; lock.unlock() }
    var value: UInt64 { lock.lock(); defer { lock.unlock() }; return sum }
}
