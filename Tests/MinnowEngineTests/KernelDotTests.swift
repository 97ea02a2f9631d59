import MinnowGGUF
import MinnowTestTraits
import Testing
import MinnowEngine

/// The matmul kernels against a Float dot product of the dequantized operands.
@Suite(.offPool) struct KernelDotTests {
    static let weightTypes: [GGMLType] = [.f32, .f16, .bf16, .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K]

    /// Deterministic pseudo-random values, roughly Gaussian with occasional outliers.
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 0x9E3779B97F4A7C15 | 1
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        return (0..<count).map { i in
            let g = (next() + next() + next() + next() - 2) * 1.7
            return i % 97 == 0 ? 8 * g : g
        }
    }

    struct Case {
        let type: GGMLType
        let rows: Int
        let count: Int
        let weights: [UInt8]       // rows × rowBytes, stored at byte offset 1 of `storage` (unaligned)
        let rowBytes: Int
        let x: [[Float]]
        let activations: [UInt8]   // quantized activation rows, back to back
        let activationBytes: Int

        init(type: GGMLType, rows: Int = 12, count: Int = 512, batch: Int = 3) throws {
            self.type = type
            self.rows = rows
            self.count = count
            rowBytes = try #require(type.rowBytes(elements: count))
            var w = [UInt8](repeating: 0xAB, count: 1)
            for r in 0..<rows {
                w += try Quantizer.quantize(type, KernelDotTests.values(count, seed: UInt64(r + 100 * Int(type.rawValue))).map { $0 * 0.05 })
            }
            weights = w
            let xs = (0..<batch).map { KernelDotTests.values(count, seed: UInt64(7919 + $0)) }
            x = xs
            let stride = try #require(QuantKernels.activationBytes(for: type, count: count))
            activationBytes = stride
            var acts = [UInt8](repeating: 0, count: stride * batch)
            let activationType = QuantKernels.activationType(for: type)
            acts.withUnsafeMutableBytes { out in
                for (a, row) in xs.enumerated() {
                    row.withUnsafeBufferPointer {
                        QuantKernels.quantizeActivations($0.baseAddress!, count: count, to: activationType, into: out.baseAddress! + a * stride)
                    }
                }
            }
            activations = acts
        }

        /// Σ w·x in Double over the dequantized operands, and Σ |w·x| for the tolerance.
        func reference(row r: Int, activation a: Int) throws -> (Double, Double) {
            let wRow = try weights.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: UnsafeRawBufferPointer(rebasing: $0[(1 + r * rowBytes)..<(1 + (r + 1) * rowBytes)])) }
            let xRow = try activations.withUnsafeBytes { try Dequantizer.dequantize(QuantKernels.activationType(for: type), bytes: UnsafeRawBufferPointer(rebasing: $0[(a * activationBytes)..<((a + 1) * activationBytes)])) }
            var sum = 0.0, magnitude = 0.0
            for i in 0..<count {
                sum += Double(wRow[i]) * Double(xRow[i])
                magnitude += abs(Double(wRow[i]) * Double(xRow[i]))
            }
            if type == .q4_1 || type == .q5_1 {
                // Q8_1 stores s = d·Σq rounded to F16, and the kernel uses m·s for the offset term
                // (as ggml does): allow the F16 rounding, 2^-11 relative, of each block's m·s,
                // scaled up by 2^3 so that it stays within the 2^-14 budget's units below.
                let blockBytes = type.blockBytes
                for b in 0..<(count / 32) {
                    let m = weights.withUnsafeBytes { KernelSIMD.half($0.baseAddress! + 1 + r * rowBytes + b * blockBytes, 2) }
                    let s = activations.withUnsafeBytes { KernelSIMD.half($0.baseAddress! + a * activationBytes + b * 36, 2) }
                    magnitude += abs(Double(m) * Double(s)) * 8
                }
            }
            return (sum, magnitude)
        }

        func run(batch: Int) -> [Float] {
            var out = [Float](repeating: -1, count: rows * batch)
            weights.withUnsafeBytes { w in
                activations.withUnsafeBytes { act in
                    out.withUnsafeMutableBufferPointer { o in
                        if batch == 1 {
                            QuantKernels.dotRows(weightType: type, weights: w.baseAddress! + 1, rowStride: rowBytes, rows: rows,
                                                 activations: act.baseAddress!, count: count, into: o.baseAddress!)
                        } else {
                            QuantKernels.dotRows(weightType: type, weights: w.baseAddress! + 1, rowStride: rowBytes, rows: rows,
                                                 activations: act.baseAddress!, activationStride: activationBytes, activationRows: batch,
                                                 count: count, into: o.baseAddress!, outputStride: rows)
                        }
                    }
                }
            }
            return out
        }
    }

    /// Matrix-vector and matrix-matrix products equal the exact (Double) dot product of the
    /// dequantized weights and activations, within 2^-14 · Σ|w·x|: the kernels sum at most 512
    /// products in Float (and scale integer sums by Float block scales), each rounding adding at
    /// most 2^-24 relative to the running magnitude, so 512 · 2^-24 = 2^-15 bounds the drift; 2^-14
    /// leaves a factor 2.
    @Test(arguments: weightTypes)
    func matchesDequantizedDot(_ type: GGMLType) throws {
        let c = try Case(type: type)
        for batch in [1, 3] {
            let out = c.run(batch: batch)
            for a in 0..<batch {
                for r in 0..<c.rows {
                    let (expected, magnitude) = try c.reference(row: r, activation: a)
                    let got = Double(out[a * c.rows + r])
                    #expect(abs(got - expected) <= magnitude * 0x1p-14 + 1e-30,
                            "\(type) batch \(batch) a \(a) r \(r): \(got) vs \(expected) (Σ|wx| \(magnitude))")
                }
            }
        }
    }

    /// Against the unquantized activations, the 8-bit activation quantization costs at most half a
    /// step per element: |Σ w·(x - x̂)| ≤ Σ |w| · max|x| / 254 per block; checked over the row as
    /// Σ|w| · max|x| / 200 (a 27% margin for F16-rounded Q8_0 scales).
    @Test(arguments: weightTypes)
    func closeToFloatActivations(_ type: GGMLType) throws {
        let c = try Case(type: type, batch: 1)
        let out = c.run(batch: 1)
        let amax = Double(c.x[0].map(abs).max() ?? 0)
        for r in 0..<c.rows {
            let wRow = try c.weights.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: UnsafeRawBufferPointer(rebasing: $0[(1 + r * c.rowBytes)..<(1 + (r + 1) * c.rowBytes)])) }
            var exact = 0.0, wAbs = 0.0
            for i in 0..<c.count {
                exact += Double(wRow[i]) * Double(c.x[0][i])
                wAbs += abs(Double(wRow[i]))
            }
            #expect(abs(Double(out[r]) - exact) <= wAbs * amax / 200, "\(type) row \(r)")
        }
    }

    /// A row's result does not depend on the batch it is evaluated in: the matrix-matrix path
    /// (4 rows at a time, then single rows) gives the same bits as the matrix-vector path.
    @Test(arguments: weightTypes)
    func batchEqualsSingleBitwise(_ type: GGMLType) throws {
        let c = try Case(type: type, batch: 6)
        let batched = c.run(batch: 6)
        var single = [Float](repeating: 0, count: c.rows)
        for a in 0..<6 {
            c.weights.withUnsafeBytes { w in
                c.activations.withUnsafeBytes { act in
                    single.withUnsafeMutableBufferPointer { o in
                        QuantKernels.dotRows(weightType: type, weights: w.baseAddress! + 1, rowStride: c.rowBytes, rows: c.rows,
                                             activations: act.baseAddress! + a * c.activationBytes, count: c.count, into: o.baseAddress!)
                    }
                }
            }
            #expect(single.map(\.bitPattern) == Array(batched[(a * c.rows)..<((a + 1) * c.rows)]).map(\.bitPattern), "\(type) activation row \(a)")
        }
    }

    @Test func activationTypes() {
        #expect(QuantKernels.activationType(for: .q4_K) == .q8_K)
        #expect(QuantKernels.activationType(for: .q6_K) == .q8_K)
        #expect(QuantKernels.activationType(for: .q5_0) == .q8_0)
        #expect(QuantKernels.activationType(for: .q4_1) == .q8_1)
        #expect(QuantKernels.activationType(for: .f16) == .f32)
        #expect(QuantKernels.activationBytes(for: .q4_K, count: 896) == nil)
        #expect(QuantKernels.activationBytes(for: .q4_K, count: 4864) == 19 * 292)
    }

    /// The activation quantizers give ggml's reference bytes (as MinnowGGUF's Quantizer, which is
    /// checked against gguf-py and ggml).
    @Test(arguments: [GGMLType.q8_0, .q8_1, .q8_K])
    func activationQuantizerMatchesReference(_ type: GGMLType) throws {
        let x = Self.values(1024, seed: 5)
        let expected = try Quantizer.quantize(type, x)
        var got = [UInt8](repeating: 0, count: expected.count)
        got.withUnsafeMutableBytes { out in
            x.withUnsafeBufferPointer { QuantKernels.quantizeActivations($0.baseAddress!, count: 1024, to: type, into: out.baseAddress!) }
        }
        #expect(got == expected)
    }

    @Test func unsupportedTypeWritesNaN() {
        var out = [Float](repeating: 0, count: 2)
        let bytes = [UInt8](repeating: 0, count: 1024)
        bytes.withUnsafeBytes { b in
            out.withUnsafeMutableBufferPointer { o in
                QuantKernels.dotRows(weightType: .iq2_xxs, weights: b.baseAddress!, rowStride: 66, rows: 2,
                                     activations: b.baseAddress!, count: 256, into: o.baseAddress!)
            }
        }
        #expect(out.allSatisfy { $0.isNaN })
    }
}
