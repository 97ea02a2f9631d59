import MinnowGGUF

/// How the CPU backend multiplies activations by a matrix of one weight type: the activations
/// are first converted to `activationType` (int8 blocks for quantized weights), then each
/// weight row is dotted with them.
package struct CPUMatrixKernel: Sendable {
    /// The format activations are converted to before the dot products.
    package var activationType: GGMLType
    /// Converts `count` floats into `activationType` at `out`.
    package var quantize: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutableRawPointer) -> Void
    /// Dot products of `rows` weight rows, `rowStride` bytes apart, with one converted
    /// activation row of `count` elements; writes `rows` results.
    package var dotRows: @Sendable (_ weights: UnsafeRawPointer, _ rowStride: Int, _ rows: Int,
                                    _ activations: UnsafeRawPointer, _ count: Int, _ out: UnsafeMutablePointer<Float>) -> Void

    /// Creates a kernel.
    package init(activationType: GGMLType,
                 quantize: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutableRawPointer) -> Void,
                 dotRows: @escaping @Sendable (UnsafeRawPointer, Int, Int, UnsafeRawPointer, Int, UnsafeMutablePointer<Float>) -> Void) {
        self.activationType = activationType
        self.quantize = quantize
        self.dotRows = dotRows
    }

    /// Bytes of one converted activation row of `count` elements.
    package func activationRowBytes(_ count: Int) -> Int {
        activationType.rowBytes(elements: count) ?? count * 4
    }
}

/// The matrix kernels of the CPU backend, registered per weight type.
package struct CPUKernelRegistry: Sendable {
    private var kernels: [GGMLType: CPUMatrixKernel] = [:]

    /// An empty registry.
    package init() {}

    /// The registry with every kernel this build has: the fallback for each type the reference
    /// dequantizer knows.
    package static var standard: CPUKernelRegistry {
        var registry = CPUKernelRegistry()
        for type in ReferenceDequantizer.supportedTypes {
            registry.register(.dequantizing(type), for: type)
        }
        registry.register(.float32, for: .f32)
        return registry
    }

    /// Registers (or replaces) the kernel for `type`.
    package mutating func register(_ kernel: CPUMatrixKernel, for type: GGMLType) { kernels[type] = kernel }

    /// The kernel for `type`, if any.
    package func kernel(for type: GGMLType) -> CPUMatrixKernel? { kernels[type] }

    /// The weight types with a kernel.
    package var types: Set<GGMLType> { Set(kernels.keys) }
}

extension CPUMatrixKernel {
    /// Float weights, float activations.
    package static let float32 = CPUMatrixKernel(
        activationType: .f32,
        quantize: { x, count, out in out.copyMemory(from: x, byteCount: count * 4) },
        dotRows: { weights, stride, rows, activations, count, out in
            let a = activations.assumingMemoryBound(to: Float.self)
            for r in 0..<rows {
                out[r] = FloatMath.dot((weights + r * stride).assumingMemoryBound(to: Float.self), a, count)
            }
        })

    /// The fallback for any type the reference dequantizer knows: dequantize each row, then a
    /// float dot product.
    package static func dequantizing(_ type: GGMLType) -> CPUMatrixKernel {
        CPUMatrixKernel(
            activationType: .f32,
            quantize: { x, count, out in out.copyMemory(from: x, byteCount: count * 4) },
            dotRows: { weights, stride, rows, activations, count, out in
                let a = activations.assumingMemoryBound(to: Float.self)
                withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { row in
                    guard let base = row.baseAddress else { return }
                    for r in 0..<rows {
                        ReferenceDequantizer.dequantize(type, from: weights + r * stride, count: count, into: base)
                        out[r] = FloatMath.dot(base, a, count)
                    }
                }
            })
    }
}
