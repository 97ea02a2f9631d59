import Foundation

/// Row-wise and element-wise ops of the CPU backend.
package enum CPUElementwise {
    /// y = x / sqrt(mean(x²) + ε) · w for each of `rows` rows of `n` values.
    package static func rmsNorm(_ x: UnsafePointer<Float>, weight w: UnsafePointer<Float>, epsilon: Float,
                                rows: Int, n: Int, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * n, yr = y + r * n
            // Double accumulation, as ggml's.
            var sum = 0.0
            for i in 0..<n { sum += Double(xr[i] * xr[i]) }
            let scale = 1 / sqrtf(Float(sum / Double(n)) + epsilon)
            for i in 0..<n { yr[i] = (xr[i] * scale) * w[i] }
        }
    }

    /// y = a + b, `count` values.
    package static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { y[i] = a[i] + b[i] }
    }

    /// y = x + bias for each of `rows` rows.
    package static func addBias(_ x: UnsafePointer<Float>, bias: UnsafePointer<Float>, rows: Int, n: Int, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            for i in 0..<n { y[r * n + i] = x[r * n + i] + bias[i] }
        }
    }

    /// y = silu(gate) · up.
    package static func siluMul(gate: UnsafePointer<Float>, up: UnsafePointer<Float>, count: Int, into y: UnsafeMutablePointer<Float>) {
        for i in 0..<count { y[i] = FloatMath.silu(gate[i]) * up[i] }
    }

    /// Softmax of each row, in place allowed.
    package static func softmax(_ x: UnsafePointer<Float>, rows: Int, n: Int, into y: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let xr = x + r * n, yr = y + r * n
            var maximum = -Float.infinity
            for i in 0..<n { maximum = max(maximum, xr[i]) }
            var sum = 0.0
            for i in 0..<n {
                let e = expf(xr[i] - maximum)
                yr[i] = e
                sum += Double(e)
            }
            let inverse = Float(1 / sum)
            for i in 0..<n { yr[i] *= inverse }
        }
    }
}
