import MinnowGGUF

/// How the CPU backend multiplies activations by a matrix of one weight type: the activations
/// are first converted to `activationType` (int8 blocks for quantized weights), then weight rows
/// are dotted with them, several activation rows at a time for a batch.
public struct CPUMatrixKernel: Sendable {
    /// The signature of a kernel: `rows` weight rows (`rowStride` bytes apart) times
    /// `activationRows` converted activation rows (`activationStride` bytes apart) of `count`
    /// elements; writes `out[a * outputStride + r]`.
    package typealias DotRows = @Sendable (_ weights: UnsafeRawPointer, _ rowStride: Int, _ rows: Int,
                                           _ activations: UnsafeRawPointer, _ activationStride: Int, _ activationRows: Int,
                                           _ count: Int, _ out: UnsafeMutablePointer<Float>, _ outputStride: Int) -> Void

    /// The format activations are converted to before the dot products.
    package var activationType: GGMLType
    /// Converts `count` floats into `activationType` at `out`.
    package var quantize: @Sendable (_ x: UnsafePointer<Float>, _ count: Int, _ out: UnsafeMutableRawPointer) -> Void
    /// The product with weights in the model file's own row layout.
    package var dotRows: DotRows
    /// The instruction-set variant the kernel belongs to.
    public var variant: CPUKernelVariant
    /// A rearranged weight layout the kernel prefers (interleaved row groups for prompts), or nil.
    package var repacking: CPUWeightRepacking?

    /// Whether this kernel reads its weights in a layout of its own, repacked once at load.
    public var repacksWeights: Bool { repacking != nil }

    /// Creates a kernel.
    package init(activationType: GGMLType,
                 quantize: @escaping @Sendable (UnsafePointer<Float>, Int, UnsafeMutableRawPointer) -> Void,
                 dotRows: @escaping DotRows, variant: CPUKernelVariant = .portable, repacking: CPUWeightRepacking? = nil) {
        self.activationType = activationType
        self.quantize = quantize
        self.dotRows = dotRows
        self.variant = variant
        self.repacking = repacking
    }

    /// Bytes of one converted activation row of `count` elements.
    package func activationRowBytes(_ count: Int) -> Int {
        activationType.rowBytes(elements: count) ?? count * 4
    }

    /// Converts activations the way the kernels of ``QuantKernels`` expect them for weights of `type`.
    package static func activationQuantizer(for type: GGMLType) -> @Sendable (UnsafePointer<Float>, Int, UnsafeMutableRawPointer) -> Void {
        let activation = QuantKernels.activationType(for: type)
        return { x, count, out in
            switch activation {
            case .q8_0: X86ActivationQuantizer.quantizeQ8_0(x, count: count, into: out)
            case .q8_1: X86ActivationQuantizer.quantizeQ8_1(x, count: count, into: out)
            default: QuantKernels.quantizeActivations(x, count: count, to: activation, into: out)
            }
        }
    }

    /// The portable Swift SIMD kernel of ``QuantKernels`` (CPU/Kernels) for `type`.
    package static func quantized(_ type: GGMLType) -> CPUMatrixKernel {
        CPUMatrixKernel(
            activationType: QuantKernels.activationType(for: type),
            quantize: activationQuantizer(for: type),
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

/// A weight layout that a kernel reads instead of the file's: matrices whose row count is a
/// multiple of ``rowGroup`` are rearranged once, when first used, into memory of the backend's
/// (which replaces the huge-page copy; the weights are not held twice).
package struct CPUWeightRepacking: Sendable {
    /// Rows per interleaved group.
    package var rowGroup: Int
    /// Bytes one row takes in the layout, for rows of `count` elements; 0 when it cannot hold them.
    package var rowBytes: @Sendable (_ count: Int) -> Int
    /// Rearranges `rows` rows of `count` elements (`sourceStride` bytes apart) into `destination`;
    /// false when it cannot.
    package var repack: @Sendable (_ source: UnsafeRawPointer, _ sourceStride: Int, _ rows: Int, _ count: Int,
                                   _ destination: UnsafeMutableRawPointer) -> Bool
    /// The product with repacked weights: `weights` at the first row of a group, `rows` a
    /// multiple of ``rowGroup``, `rowStride` = `rowBytes(count)`.
    package var dotRows: CPUMatrixKernel.DotRows

    /// Creates a layout.
    package init(rowGroup: Int, rowBytes: @escaping @Sendable (Int) -> Int,
                 repack: @escaping @Sendable (UnsafeRawPointer, Int, Int, Int, UnsafeMutableRawPointer) -> Bool,
                 dotRows: @escaping CPUMatrixKernel.DotRows) {
        self.rowGroup = rowGroup
        self.rowBytes = rowBytes
        self.repack = repack
        self.dotRows = dotRows
    }
}
