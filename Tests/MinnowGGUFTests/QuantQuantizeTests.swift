import MinnowGGUF
import Testing

/// The quantizers: bit-exact against gguf-py / ggml for the formats whose reference quantizer we
/// reproduce, and round trips within stated error bounds for all.
@Suite struct QuantQuantizeTests {
    static let referenceCases = QuantFixtures.load("quantize.json")

    @Test func fixturesPresent() {
        let types = Set(Self.referenceCases.map(\.type))
        #expect(types.isSuperset(of: ["F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_K", "Q8_1"]))
    }

    /// Same bytes as gguf-py's quantizer (which follows ggml's `quantize_row_*_ref`), or as ggml's
    /// own reference for Q8_K and Q8_1 when the fixture script had llama-cpp-python.
    @Test(arguments: referenceCases)
    func matchesReferenceQuantizer(_ fixture: QuantFixtureCase) throws {
        let type = try #require(fixture.ggmlType)
        let input = QuantFixtureCase.floatBits(fixture.input).map { Float(bitPattern: $0) }
        let expected = QuantFixtureCase.bytes(fixture.bytes)
        #expect(input.count == fixture.count)
        let got = try Quantizer.quantize(type, input)
        #expect(got.count == expected.count)
        let firstDifference = zip(got, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "first differing byte: \(String(describing: firstDifference))")
    }

    /// Deterministic pseudo-random test rows: Gaussian-like values whose spread changes every
    /// 16 elements (so K-quant sub-block scales differ), with some all-positive and all-negative runs.
    static func sampleRow(count: Int, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        var row = [Float]()
        row.reserveCapacity(count)
        var scale: Float = 1, shift: Float = 0
        for i in 0..<count {
            if i % 16 == 0 {
                scale = 0.01 + 2 * next() * next()
                shift = (i / 16) % 5 == 0 ? 1.5 * scale : ((i / 16) % 7 == 0 ? -1.5 * scale : 0)
            }
            let gaussian = (next() + next() + next() + next() - 2) * 1.7
            row.append(gaussian * scale + shift)
        }
        return row
    }

    /// Largest error allowed for block `values` of `type`, from the format's step sizes.
    ///
    /// - Legacy formats: rounding costs half a step; the symmetric ones (Q4_0, Q5_0) map the
    ///   largest magnitude to the most negative quant, so the opposite extreme can be clamped by a
    ///   full step. Q8 formats round to the nearest of 255 levels: half a step.
    /// - K-quants (simple quantizer): half a step (a full step for the symmetric Q3_K, Q6_K), plus
    ///   the error of rounding each sub-block step to a multiple of the super-block scale, which is at
    ///   most half a scale unit per quant level (levels · maxStep / (2 · scaleLevels)), plus half a
    ///   minimum unit (maxOffset / (2 · scaleLevels)).
    /// - All: 2% slack plus 2^-10 relative for the F16 rounding of the stored scales and minimums.
    static func errorBound(_ type: GGMLType, _ values: ArraySlice<Float>) -> Float {
        let amax = values.map(abs).max() ?? 0
        let lo = values.min() ?? 0, hi = values.max() ?? 0
        let base: Float
        switch type {
        case .q8_0, .q8_1, .q8_K: base = 0.5 * amax / 127
        case .q4_0: base = amax / 8
        case .q5_0: base = amax / 16
        case .q4_1: base = 0.5 * (hi - lo) / 15 + abs(lo) * 0x1p-10
        case .q5_1: base = 0.5 * (hi - lo) / 31 + abs(lo) * 0x1p-10
        case .q2_K, .q4_K, .q5_K:
            let (sub, levels, scaleLevels): (Int, Float, Float) =
                type == .q2_K ? (16, 3, 15) : (32, type == .q4_K ? 15 : 31, 63)
            var maxStep: Float = 0, maxOffset: Float = 0
            for start in stride(from: values.startIndex, to: values.endIndex, by: sub) {
                let part = values[start..<(start + sub)]
                let low = min(0, part.min() ?? 0)
                maxStep = max(maxStep, max(0, (part.max() ?? 0) - low) / levels)
                maxOffset = max(maxOffset, -low)
            }
            base = maxStep * (0.5 + levels / (2 * scaleLevels)) + maxOffset / (2 * scaleLevels)
        case .q3_K, .q6_K:
            let (levels, scaleLevels): (Float, Float) = type == .q3_K ? (4, 31) : (32, 127)
            var maxStep: Float = 0
            for start in stride(from: values.startIndex, to: values.endIndex, by: 16) {
                maxStep = max(maxStep, (values[start..<(start + 16)].map(abs).max() ?? 0) / levels)
            }
            base = maxStep * (1 + levels / (2 * scaleLevels))
        default: base = 0
        }
        return base * 1.02 + amax * 0x1p-10 + 1e-30
    }

    @Test(arguments: [GGMLType.q8_0, .q8_1, .q8_K, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func roundTripWithinBound(_ type: GGMLType) throws {
        let values = Self.sampleRow(count: 4096, seed: UInt64(type.rawValue) + 7)
        let bytes = try Quantizer.quantize(type, values)
        let back = try bytes.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0) }
        #expect(back.count == values.count)
        var worstRatio: Float = 0
        for start in stride(from: 0, to: values.count, by: type.blockSize) {
            let block = values[start..<(start + type.blockSize)]
            let bound = Self.errorBound(type, block)
            for i in block.indices {
                worstRatio = max(worstRatio, abs(back[i] - values[i]) / bound)
            }
        }
        #expect(worstRatio <= 1, "\(type): worst error / bound = \(worstRatio)")
    }

    @Test(arguments: [GGMLType.f32, .f16, .bf16])
    func floatFormatsRoundTrip(_ type: GGMLType) throws {
        let values = Self.sampleRow(count: 512, seed: 3)
        let back = try Quantizer.quantize(type, values).withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0) }
        // Round to nearest: relative error at most half an ulp of the format (2^-11 for F16 and
        // 2^-8 for BF16 at these magnitudes, which are far from F16's subnormal range).
        let relative: Float = type == .f32 ? 0 : (type == .f16 ? 0x1p-11 : 0x1p-8)
        for (x, y) in zip(values, back) {
            #expect(abs(x - y) <= abs(x) * relative)
        }
    }

    /// Zero blocks quantize to zero scales and decode to exact zeros, never NaN.
    @Test(arguments: [GGMLType.q8_0, .q8_1, .q8_K, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K])
    func zerosStayZero(_ type: GGMLType) throws {
        let values = [Float](repeating: 0, count: 256)
        let back = try Quantizer.quantize(type, values).withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0) }
        #expect(back.allSatisfy { $0 == 0 })
    }

    /// Q8_K's partial sums are the sums of 16 quants, and Q8_1's `s` is d · Σq.
    @Test func activationSums() throws {
        let values = Self.sampleRow(count: 256, seed: 11)
        let q8k = try Quantizer.quantize(.q8_K, values)
        for group in 0..<16 {
            let sum = (0..<16).reduce(0) { $0 + Int(Int8(bitPattern: q8k[4 + 16 * group + $1])) }
            let stored = Int(Int16(bitPattern: UInt16(q8k[260 + 2 * group]) | UInt16(q8k[261 + 2 * group]) << 8))
            #expect(sum == stored)
        }
        let q81 = try Quantizer.quantize(.q8_1, Array(values[0..<32]))
        let d = HalfPrecision.float(fromHalf: UInt16(q81[0]) | UInt16(q81[1]) << 8)
        let s = HalfPrecision.float(fromHalf: UInt16(q81[2]) | UInt16(q81[3]) << 8)
        let sum = (0..<32).reduce(0) { $0 + Int(Int8(bitPattern: q81[4 + $1])) }
        #expect(s == HalfPrecision.float(fromHalf: HalfPrecision.halfBits(from: Float(sum) * d)) || abs(s - Float(sum) * d) <= abs(s) * 0x1p-10)
    }

    @Test func nonFiniteInputDoesNotTrap() throws {
        var values = Self.sampleRow(count: 256, seed: 5)
        values[3] = .nan
        values[100] = .infinity
        values[200] = -.infinity
        for type in [GGMLType.q8_0, .q8_1, .q8_K, .q4_0, .q4_1, .q5_0, .q5_1, .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .f16, .bf16] {
            _ = try Quantizer.quantize(type, values)
        }
    }

    @Test func errors() {
        #expect(throws: QuantizationError.invalidCount(31, type: .q8_0)) { try Quantizer.quantize(.q8_0, [Float](repeating: 1, count: 31)) }
        #expect(throws: QuantizationError.unsupportedType(.iq4_nl, operation: "quantization")) { try Quantizer.quantize(.iq4_nl, [Float](repeating: 1, count: 32)) }
    }
}
