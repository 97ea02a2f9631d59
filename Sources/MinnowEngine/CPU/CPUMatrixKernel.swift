import MinnowGGUF

/// How the CPU backend multiplies activations by a matrix of one weight type: the activations
/// are first converted to `activationType` (int8 blocks for quantized weights), then weight rows
/// are dotted with them, several activation rows at a time for a batch.
package struct CPUMatrixKernel: Sendable {
    /// The format activations are converted to before the dot products.
    package var activationType: GGMLType
    /// Converts `count` floats into `activationType` at `out`.
    package var quantize: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutableRawPointer) -> Void
    /// `rows` weight rows (`rowStride` bytes apart) times `activationRows` converted activation
    /// rows (`activationStride` bytes apart) of `count` elements: writes
    /// `out[a * outputStride + r]`.
    package var dotRows: @Sendable (_ weights: UnsafeRawPointer, _ rowStride: Int, _ rows: Int,
                                    _ activations: UnsafeRawPointer, _ activationStride: Int, _ activationRows: Int,
                                    _ count: Int, _ out: UnsafeMutablePointer<Float>, _ outputStride: Int) -> Void

    /// Creates a kernel.
    package init(activationType: GGMLType,
                 quantize: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutableRawPointer) -> Void,
                 dotRows: @escaping @Sendable (UnsafeRawPointer, Int, Int, UnsafeRawPointer, Int, Int, Int, UnsafeMutablePointer<Float>, Int) -> Void) {
        self.activationType = activationType
        self.quantize = quantize
        self.dotRows = dotRows
    }

    /// Bytes of one converted activation row of `count` elements.
    package func activationRowBytes(_ count: Int) -> Int {
        activationType.rowBytes(elements: count) ?? count * 4
    }

    /// The kernel of ``QuantKernels`` (CPU/Kernels) for `type`.
    package static func quantized(_ type: GGMLType) -> CPUMatrixKernel {
        let activation = QuantKernels.activationType(for: type)
        return CPUMatrixKernel(
            activationType: activation,
            quantize: { x, count, out in
                switch activation {
                case .q8_0: X86ActivationQuantizer.quantizeQ8_0(x, count: count, into: out)
                case .q8_1: X86ActivationQuantizer.quantizeQ8_1(x, count: count, into: out)
                default: QuantKernels.quantizeActivations(x, count: count, to: activation, into: out)
                }
            },
            dotRows: { w, stride, rows, a, aStride, aRows, count, out, outStride in
                QuantKernels.dotRows(weightType: type, weights: w, rowStride: stride, rows: rows, activations: a,
                                     activationStride: aStride, activationRows: aRows, count: count,
                                     into: out, outputStride: outStride)
            })
    }

    /// The slow path for any type the dequantizer knows: dequantize each row, then a float
    /// dot product with float activations.
    package static func dequantizing(_ type: GGMLType) -> CPUMatrixKernel {
        CPUMatrixKernel(
            activationType: .f32,
            quantize: { x, count, out in out.copyMemory(from: x, byteCount: count * 4) },
            dotRows: { weights, stride, rows, activations, aStride, aRows, count, out, outStride in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { row in
                    guard let base = row.baseAddress else { return }
                    for r in 0..<rows {
                        if (try? Dequantizer.dequantize(type, from: weights + r * stride, count: count, into: base)) == nil {
                            base.update(repeating: .nan, count: count)
                        }
                        for a in 0..<aRows {
                            out[a * outStride + r] = FloatMath.dot(base, (activations + a * aStride).assumingMemoryBound(to: Float.self), count)
                        }
                    }
                }
            })
    }
}

/// The matrix kernels of the CPU backend, registered per weight type.
package struct CPUKernelRegistry: Sendable {
    private var kernels: [GGMLType: CPUMatrixKernel] = [:]

    /// An empty registry.
    package init() {}

    /// The registry with every kernel this build has: ``QuantKernels`` where it has one, else
    /// the dequantizing fallback.
    package static var standard: CPUKernelRegistry {
        var registry = CPUKernelRegistry()
        for type in GGMLType.allCases {
            if QuantKernels.supports(type) {
                registry.register(.quantized(type), for: type)
            } else if Dequantizer.supports(type) && type != .q8_K && type != .q8_1 {
                registry.register(.dequantizing(type), for: type)
            }
        }
        return registry
    }

    /// Registers (or replaces) the kernel for `type`.
    package mutating func register(_ kernel: CPUMatrixKernel, for type: GGMLType) { kernels[type] = kernel }

    /// The kernel for `type`, if any.
    package func kernel(for type: GGMLType) -> CPUMatrixKernel? { kernels[type] }

    /// The weight types with a kernel.
    package var types: Set<GGMLType> { Set(kernels.keys) }
}
