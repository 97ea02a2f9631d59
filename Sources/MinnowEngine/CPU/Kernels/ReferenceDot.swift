import MinnowGGUF

/// The simplest correct kernel for every supported type: dequantize weights and activations to
/// Float and sum the products. The yardstick the fast kernels are tested against, and the
/// fallback for types without a fast kernel.
package enum ReferenceDot {
    /// Computes `problem` for weights of `weightType`.
    package static func run(_ weightType: GGMLType, _ problem: DotProblem) {
        let count = problem.count
        let activationType = QuantKernels.activationType(for: weightType)
        var x = [Float](repeating: 0, count: count * problem.activationRows)
        var w = [Float](repeating: 0, count: count)
        x.withUnsafeMutableBufferPointer { xb in
            w.withUnsafeMutableBufferPointer { wb in
                guard let xs = xb.baseAddress, let ws = wb.baseAddress else { return }
                for a in 0..<problem.activationRows {
                    let source = problem.activations + a * problem.activationStride
                    if (try? Dequantizer.dequantize(activationType, from: source, count: count, into: xs + a * count)) == nil {
                        (xs + a * count).update(repeating: .nan, count: count)
                    }
                }
                for r in 0..<problem.rows {
                    if (try? Dequantizer.dequantize(weightType, from: problem.weights + r * problem.rowStride, count: count, into: ws)) == nil {
                        ws.update(repeating: .nan, count: count)
                    }
                    for a in 0..<problem.activationRows {
                        var sum: Float = 0
                        let xa = xs + a * count
                        for i in 0..<count { sum += ws[i] * xa[i] }
                        problem.out[a * problem.outputStride + r] = sum
                    }
                }
            }
        }
    }
}
