import Testing
import MinnowEngine

@Suite struct HalfTests {
    @Test func roundTripsEveryHalf() {
        // Every finite half converts to Float and back to the same bits.
        for bits in UInt16.min...UInt16.max {
            let exponent = (bits >> 10) & 0x1F
            if exponent == 0x1F { continue }
            let f = Half.toFloat(bits)
            #expect(f == Float(Float16(bitPattern: bits)))
            #expect(Half.fromFloat(f) == bits)
        }
    }

    @Test func roundsLikeTheStandardLibrary() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let f = Float(bitPattern: UInt32(truncatingIfNeeded: state >> 32) & 0xBFFF_FFFF) // finite, |x| < 2^64
            #expect(Half.fromFloat(f) == Float16(f).bitPattern, "\(f)")
        }
    }
}
