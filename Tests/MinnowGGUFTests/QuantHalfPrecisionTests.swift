import MinnowGGUF
import Testing

/// The bit-level F16 and BF16 conversions, checked exhaustively.
@Suite struct QuantHalfPrecisionTests {
    /// Every non-NaN half survives half → float → half unchanged, and NaN stays NaN.
    @Test func everyHalfRoundTrips() {
        var failures = 0
        for bits in 0...UInt16.max {
            let value = HalfPrecision.float(fromHalf: bits)
            let isNaN = (bits & 0x7c00) == 0x7c00 && (bits & 0x03ff) != 0
            if isNaN {
                if !value.isNaN || (HalfPrecision.halfBits(from: value) & 0x7fff) <= 0x7c00 { failures += 1 }
            } else if HalfPrecision.halfBits(from: value) != bits {
                failures += 1
            }
        }
        #expect(failures == 0)
    }

    /// Known values, including the largest finite half, the smallest subnormal and rounding ties.
    @Test func knownValues() {
        #expect(HalfPrecision.float(fromHalf: 0x3c00) == 1)
        #expect(HalfPrecision.float(fromHalf: 0x7bff) == 65504)
        #expect(HalfPrecision.float(fromHalf: 0x0001) == 0x1p-24)
        #expect(HalfPrecision.float(fromHalf: 0xfc00) == -.infinity)
        #expect(HalfPrecision.halfBits(from: 65504) == 0x7bff)
        #expect(HalfPrecision.halfBits(from: 65520) == 0x7c00) // halfway to 2^16 rounds to even: infinity
        #expect(HalfPrecision.halfBits(from: 65519.996) == 0x7bff)
        #expect(HalfPrecision.halfBits(from: 0x1p-25) == 0x0000) // tie between 0 and the smallest subnormal
        #expect(HalfPrecision.halfBits(from: 0x1.000002p-25) == 0x0001)
        #expect(HalfPrecision.halfBits(from: 1 + 0x1p-11) == 0x3c00) // tie, rounds to even
        #expect(HalfPrecision.halfBits(from: 1 + 3 * 0x1p-11) == 0x3c02) // tie, rounds to even (up)
        #expect(HalfPrecision.halfBits(from: -0.0) == 0x8000)
        #expect(HalfPrecision.halfBits(from: .nan) & 0x7e00 == 0x7e00)
    }

    /// Float → half rounding agrees with the midpoint rule on random floats across the half range:
    /// the result is one of the two neighbouring halves and no farther than the other.
    @Test func randomFloatsRoundToNearest() {
        var generator = SystemRandomNumberGenerator()
        var failures = 0
        for _ in 0..<20_000 {
            let x = Float.random(in: -70_000...70_000, using: &generator) * (Bool.random(using: &generator) ? 1 : 0x1p-20)
            let h = HalfPrecision.halfBits(from: x)
            let y = HalfPrecision.float(fromHalf: h)
            if y.isInfinite { if abs(x) < 65504 { failures += 1 }; continue }
            // The neighbours of h on the side of x must not be closer.
            let up = HalfPrecision.float(fromHalf: h &+ 1), down = HalfPrecision.float(fromHalf: h &- 1)
            let err = abs(Double(x) - Double(y))
            if (up.isFinite && abs(Double(x) - Double(up)) < err) || (down.isFinite && h & 0x7fff != 0 && abs(Double(x) - Double(down)) < err) {
                failures += 1
            }
        }
        #expect(failures == 0)
    }

    @Test func bfloat16() {
        #expect(HalfPrecision.float(fromBFloat16: 0x3f80) == 1)
        #expect(HalfPrecision.bfloat16Bits(from: 1) == 0x3f80)
        #expect(HalfPrecision.bfloat16Bits(from: Float(bitPattern: 0x3f80_8000)) == 0x3f80) // tie to even
        #expect(HalfPrecision.bfloat16Bits(from: Float(bitPattern: 0x3f81_8000)) == 0x3f82) // tie to even
        #expect(HalfPrecision.bfloat16Bits(from: Float(bitPattern: 0x3f80_8001)) == 0x3f81)
        #expect(HalfPrecision.float(fromBFloat16: HalfPrecision.bfloat16Bits(from: .nan)).isNaN)
    }
}
