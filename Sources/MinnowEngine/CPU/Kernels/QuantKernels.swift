import MinnowGGUF

/// Matrix-vector and matrix-matrix products of quantized weights with activations: the CPU
/// backend's matmul kernels.
///
/// Usage, for a weight matrix of `rows` rows of `count` elements of `weightType`:
/// 1. quantize each activation row once with ``quantizeActivations(_:count:to:into:)`` into a buffer
///    of ``activationBytes(for:count:)`` bytes (the ggml format ``activationType(for:)`` names:
///    Q8_0, Q8_1, Q8_K, or plain F32 for float weights);
/// 2. call ``dotRows(weightType:weights:rowStride:rows:activations:count:into:)`` on any range of
///    rows (threads split the rows), or the batched variant for several activation rows.
///
/// Weights are read in place (from the memory map). Callers check ``supports(_:)`` when a model is
/// loaded; the kernels themselves never trap on an unsupported type (they write NaN).
package enum QuantKernels {
    /// Whether `dotRows` has a kernel for weights of `weightType`.
    package static func supports(_ weightType: GGMLType) -> Bool {
        switch weightType {
        case .f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K:
            return true
        default:
            return false
        }
    }

    /// The format activations must be quantized to before a product with weights of `weightType`:
    /// `.q8_0` for Q8_0/Q4_0/Q5_0, `.q8_1` for Q4_1/Q5_1, `.q8_K` for the K-quants, `.f32` otherwise.
    package static func activationType(for weightType: GGMLType) -> GGMLType {
        switch weightType {
        case .q8_0, .q4_0, .q5_0: return .q8_0
        case .q4_1, .q5_1: return .q8_1
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K: return .q8_K
        default: return .f32
        }
    }

    /// Bytes of one quantized activation row of `count` elements for weights of `weightType`,
    /// or nil when `count` is not a whole number of the weight type's blocks.
    package static func activationBytes(for weightType: GGMLType, count: Int) -> Int? {
        guard count >= 0, count % weightType.blockSize == 0 else { return nil }
        return activationType(for: weightType).rowBytes(elements: count)
    }

    /// Quantizes `count` floats into the activation format `type` (as from ``activationType(for:)``).
    ///
    /// `out` holds `type.rowBytes(elements: count)` bytes; `count` is a whole number of blocks of
    /// `type`. The quantizers are ggml's reference ones, bit for bit.
    package static func quantizeActivations(
        _ x: UnsafePointer<Float>, count: Int, to type: GGMLType, into out: UnsafeMutableRawPointer
    ) {
        switch type {
        case .q8_0: ActivationQuantizer.quantizeQ8_0(x, count: count, into: out)
        case .q8_K: ActivationQuantizer.quantizeQ8_K(x, count: count, into: out)
        case .f32: out.copyMemory(from: x, byteCount: count * MemoryLayout<Float>.stride)
        default:
            // Q8_1 and anything else: the reference quantizer (it only throws for an unsupported
            // type or a partial block, which the caller's sizes rule out; then the buffer is zeroed).
            do {
                try Quantizer.quantize(type, from: x, count: count, into: out)
            } catch {
                out.initializeMemory(as: UInt8.self, repeating: 0, count: type.rowBytes(elements: count) ?? 0)
            }
        }
    }

    /// Dot products of `rows` consecutive weight rows (each `rowStride` bytes apart, starting at
    /// `weights`) with one activation row of `count` elements (quantized as
    /// ``activationType(for:)`` says); writes `rows` floats to `out`.
    package static func dotRows(
        weightType: GGMLType, weights: UnsafeRawPointer, rowStride: Int, rows: Int,
        activations: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>
    ) {
        dotRows(weightType: weightType, weights: weights, rowStride: rowStride, rows: rows,
                activations: activations, activationStride: 0, activationRows: 1, count: count,
                into: out, outputStride: rows)
    }

    /// The matrix-matrix form: `rows` weight rows times `activationRows` activation rows (each
    /// `activationStride` bytes apart). Writes `out[a * outputStride + r]` for activation row `a`
    /// and weight row `r`. Each weight block is used for all activation rows while it is in cache.
    package static func dotRows(
        weightType: GGMLType, weights: UnsafeRawPointer, rowStride: Int, rows: Int,
        activations: UnsafeRawPointer, activationStride: Int, activationRows: Int, count: Int,
        into out: UnsafeMutablePointer<Float>, outputStride: Int
    ) {
        guard rows > 0, activationRows > 0 else { return }
        guard supports(weightType), count % weightType.blockSize == 0 else {
            for a in 0..<activationRows { (out + a * outputStride).update(repeating: .nan, count: rows) }
            return
        }
        let problem = DotProblem(
            weights: weights, rowStride: rowStride, rows: rows, activations: activations,
            activationStride: activationStride, activationRows: activationRows, count: count,
            out: out, outputStride: outputStride)
        portableDotRows(weightType: weightType, problem)
    }

    /// The kernels written with portable Swift SIMD types (every build; the only ones in a build
    /// that does not target AVX2).
    @inline(__always)
    static func portableDotRows(weightType: GGMLType, _ problem: DotProblem) {
        if problem.activationRows == 1 && (weightType == .q4_K || weightType == .q6_K) {
            // Matrix-vector on the main K-quants: split the activation row once for all rows.
            let blocks = problem.count / 256
            SplitActivations.with(problem.activations, count: problem.count) { split in
                for r in 0..<problem.rows {
                    let row = problem.weights + r * problem.rowStride
                    problem.out[r] = weightType == .q4_K
                        ? DotQ4_K.dot(row, problem.activations, split: split, blocks: blocks)
                        : DotQ6_K.dot(row, problem.activations, split: split, blocks: blocks)
                }
            }
            return
        }
        switch weightType {
        case .q8_0: KernelDriver.run(DotQ8_0.self, problem)
        case .q4_0: KernelDriver.run(DotQ4_0.self, problem)
        case .q4_1: KernelDriver.run(DotQ4_1.self, problem)
        case .q5_0: KernelDriver.run(DotQ5_0.self, problem)
        case .q5_1: KernelDriver.run(DotQ5_1.self, problem)
        case .q4_K: KernelDriver.run(DotQ4_K.self, problem)
        case .q6_K: KernelDriver.run(DotQ6_K.self, problem)
        case .q5_K: KernelDriver.run(DotQ5_K.self, problem)
        case .q2_K: KernelDriver.run(DotQ2_K.self, problem)
        case .q3_K: KernelDriver.run(DotQ3_K.self, problem)
        case .f32: KernelDriver.run(DotFloat<F32Weights>.self, problem)
        case .f16: KernelDriver.run(DotFloat<F16Weights>.self, problem)
        case .bf16: KernelDriver.run(DotFloat<BF16Weights>.self, problem)
        default: ReferenceDot.run(weightType, problem)
        }
    }
}

/// The operands of one `dotRows` call, passed to the per-format kernels.
package struct DotProblem {
    /// First weight row.
    package var weights: UnsafeRawPointer
    /// Bytes between weight rows.
    package var rowStride: Int
    /// Number of weight rows.
    package var rows: Int
    /// First quantized activation row.
    package var activations: UnsafeRawPointer
    /// Bytes between activation rows.
    package var activationStride: Int
    /// Number of activation rows.
    package var activationRows: Int
    /// Elements per row.
    package var count: Int
    /// Output: `out[a * outputStride + r]`.
    package var out: UnsafeMutablePointer<Float>
    /// Floats between output rows.
    package var outputStride: Int
}
