import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MinnowEngine
import MinnowGGUF
import Testing

/// Throughput of the matmul kernels on the FFN shape of a 1.5B model (8960 × 1536), one thread.
///
/// Off by default (it takes about a minute); run with
/// `MINNOW_KERNEL_BENCH=1 swift test -c release --filter KernelBenchmark` (add
/// `-Xcc -march=x86-64-v3` for the host-tuned numbers). Weights are spread over enough copies to
/// exceed the last-level cache, so matrix-vector numbers are DRAM-bound like decoding.
/// Time is the thread's CPU time (the build machine is shared).
///
/// Measured 2026-11-30 on the 2-core AMD EPYC build machine under heavy load from other builds
/// (load average ~20, so treat as lower bounds), GB/s of weight bytes, matrix-vector:
///
/// | type | baseline x86-64 | `-Xcc -march=x86-64-v3` |
/// |------|-----------------|-------------------------|
/// | Q4_K | 2.4 | 3.9 |
/// | Q6_K | 1.7 | 2.6 |
/// | Q8_0 | 3.7 | 4.8 |
/// | Q5_0 | 1.8 | 2.2 |
/// | Q4_0 | 2.9 | 3.6 |
/// | Q4_1 | 1.7–2.1 | 2.0 |
/// | Q5_K | 1.6 | 2.7 |
/// | Q2_K | 1.2 | 2.0 |
/// | Q3_K | 0.7 | 0.9 |
/// | F32  | 5.7 | 8.9 |
///
/// Matrix-matrix (32 activation rows, weights decoded once per 4 rows): Q4_K 10 → 26 GOP/s,
/// Q6_K 8 → 16.5, Q8_0 10 → 15 (baseline → v3). The kernels are instruction-bound: without
/// `pmaddubsw` the 4-bit formats spend ~45 instructions per 64 elements.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["MINNOW_KERNEL_BENCH"] == "1"))
struct KernelBenchmarkTests {
    static let rows = 8960, count = 1536

    /// This thread's CPU time in nanoseconds: the measure used, since the build machine is shared
    /// and wall time counts other processes' turns on the core.
    static func cpuNanoseconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) * 1e9 + Double(t.tv_nsec)
    }

    @Test(arguments: [GGMLType.q4_K, .q6_K, .q8_0, .q5_0, .q4_0, .q4_1, .q5_1, .q2_K, .q3_K, .q5_K, .f16, .f32])
    func matrixVector(_ type: GGMLType) throws {
        let rowBytes = try #require(type.rowBytes(elements: Self.count))
        let matrixBytes = rowBytes * Self.rows
        let copies = max(2, (128 << 20) / matrixBytes)
        var row = [Float](repeating: 0, count: Self.count)
        var state: UInt64 = 12345
        var weights = [UInt8](repeating: 0, count: matrixBytes * copies)
        for r in 0..<Self.rows {
            for i in 0..<Self.count {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                row[i] = (Float(state >> 40) / Float(1 << 24) - 0.5) * 0.1
            }
            let q = try Quantizer.quantize(type, row)
            weights.replaceSubrange((r * rowBytes)..<((r + 1) * rowBytes), with: q)
        }
        weights.withUnsafeMutableBytes { w in
            for c in 1..<copies { (w.baseAddress! + c * matrixBytes).copyMemory(from: w.baseAddress!, byteCount: matrixBytes) }
        }
        let activationType = QuantKernels.activationType(for: type)
        let batch = 32
        let activationBytes = try #require(QuantKernels.activationBytes(for: type, count: Self.count))
        var activations = [UInt8](repeating: 0, count: activationBytes * batch)
        activations.withUnsafeMutableBytes { a in
            for n in 0..<batch {
                for i in 0..<Self.count { row[i] = sin(Float(i * (n + 1))) }
                row.withUnsafeBufferPointer { QuantKernels.quantizeActivations($0.baseAddress!, count: Self.count, to: activationType, into: a.baseAddress! + n * activationBytes) }
            }
        }
        var out = [Float](repeating: 0, count: Self.rows * batch)
        var best = Double.infinity
        weights.withUnsafeBytes { w in
            activations.withUnsafeBytes { a in
                out.withUnsafeMutableBufferPointer { o in
                    for _ in 0..<3 {
                        let start = Self.cpuNanoseconds()
                        for c in 0..<copies {
                            QuantKernels.dotRows(weightType: type, weights: w.baseAddress! + c * matrixBytes, rowStride: rowBytes, rows: Self.rows,
                                                 activations: a.baseAddress!, count: Self.count, into: o.baseAddress!)
                        }
                        best = min(best, (Self.cpuNanoseconds() - start) / Double(copies))
                    }
                }
            }
        }
        // Matrix-matrix: `batch` activation rows against one (cache-cold) copy.
        var bestBatch = Double.infinity
        weights.withUnsafeBytes { w in
            activations.withUnsafeBytes { a in
                out.withUnsafeMutableBufferPointer { o in
                    for c in 0..<2 {
                        let start = Self.cpuNanoseconds()
                        QuantKernels.dotRows(weightType: type, weights: w.baseAddress! + c * matrixBytes, rowStride: rowBytes, rows: Self.rows,
                                             activations: a.baseAddress!, activationStride: activationBytes, activationRows: batch,
                                             count: Self.count, into: o.baseAddress!, outputStride: Self.rows)
                        bestBatch = min(bestBatch, (Self.cpuNanoseconds() - start))
                    }
                }
            }
        }
        let gbps = Double(matrixBytes) / best
        let gops = 2 * Double(Self.rows * Self.count * batch) / bestBatch
        print("kernel-bench \(type.name): matvec \(String(format: "%.2f", best / 1e6)) ms, \(String(format: "%.2f", gbps)) GB/s; matmul×\(batch) \(String(format: "%.1f", bestBatch / 1e6)) ms, \(String(format: "%.1f", gops)) GOP/s")
        #expect(out.allSatisfy { $0.isFinite })
    }
}
