import MinnowBackendSDK

/// Builds the plugin's kernel for `Q8_0` weights: plain Swift, one block at a time.
enum PlainQ8_0Kernel {
    /// The kernel; `calls` counts how often the CPU backend runs it.
    static func make(counting calls: CallCount) -> CPUMatrixKernel {
        CPUMatrixKernel(activations: .q8_0) { operands in
            calls.add()
            let blocks = operands.count / Q8_0Block.count
            for a in 0..<operands.activationRows {
                let activationRow = operands.activations + a * operands.activationStride
                for r in 0..<operands.rows {
                    let weightRow = operands.weights + r * operands.rowStride
                    var total: Float = 0
                    for b in 0..<blocks {
                        let w = Q8_0Block(base: weightRow + b * Q8_0Block.size)
                        let x = Q8_0Block(base: activationRow + b * Q8_0Block.size)
                        total += w.scale * x.scale * Float(w.quantDot(x))
                    }
                    operands.output[a * operands.outputStride + r] = total
                }
            }
        }
    }
}
