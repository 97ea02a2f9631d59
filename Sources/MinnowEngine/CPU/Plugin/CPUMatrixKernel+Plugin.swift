import MinnowGGUF

extension CPUMatrixKernel {
    /// A kernel written outside the package: the backend converts activations to `activations`,
    /// then calls `dot` on ranges of weight rows, from several threads at once.
    ///
    /// - Parameters:
    ///   - activations: the format `dot` reads activation rows in.
    ///   - variant: the instruction-set variant whose CPU features `dot` needs (`.portable`: none).
    ///   - dot: the product; see ``CPUDotOperands``.
    public init(activations: CPUActivationFormat, variant: CPUKernelVariant = .portable,
                dot: @escaping @Sendable (CPUDotOperands) -> Void) {
        self.init(
            activationType: activations.type,
            quantize: { x, count, out in activations.convert(x, count: count, into: out) },
            dotRows: { weights, stride, rows, activationRows, aStride, aCount, count, out, outStride in
                dot(CPUDotOperands(weights: weights, rowStride: stride, rows: rows, activations: activationRows,
                                   activationStride: aStride, activationRows: aCount, count: count,
                                   output: out, outputStride: outStride))
            },
            variant: variant)
    }

    /// The format this kernel reads activation rows in.
    public var activationFormat: CPUActivationFormat {
        CPUActivationFormat.allCases.first { $0.type == activationType } ?? .f32
    }

    /// Runs the kernel on weights in the model file's row layout (a plugin that wraps a
    /// built-in kernel calls this).
    public func dot(_ operands: CPUDotOperands) {
        dotRows(operands.weights, operands.rowStride, operands.rows, operands.activations, operands.activationStride,
                operands.activationRows, operands.count, operands.output, operands.outputStride)
    }
}
