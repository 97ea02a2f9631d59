/// Float16 ⇄ Float conversions by bit manipulation.
///
/// On baseline x86-64 `Float(Float16)` is a library call; these are a few integer instructions
/// and give the same results (round to nearest even, subnormals, infinities and NaN kept).
package enum Half {
    /// The Float value of the half-precision `bits`.
    @inline(__always)
    package static func toFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa · 2⁻²⁴, exact in Float.
            let magnitude = Float(mantissa) * 5.9604644775390625e-8
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// The half-precision bits of `value`, rounded to nearest even.
    @inline(__always)
    package static func fromFloat(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let exponent = Int((bits >> 23) & 0xFF)
        var mantissa = bits & 0x7F_FFFF
        if exponent == 0xFF {
            return sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0)
        }
        var e = exponent - 127 + 15
        if e >= 31 { return sign | 0x7C00 }
        if e <= 0 {
            // Subnormal half (or zero).
            if e < -10 { return sign }
            mantissa |= 0x80_0000
            let shift = UInt32(14 - e)
            var half = mantissa >> shift
            let remainder = mantissa & ((1 << shift) - 1)
            let halfway = UInt32(1) << (shift - 1)
            if remainder > halfway || (remainder == halfway && (half & 1) == 1) { half += 1 }
            return sign | UInt16(half)
        }
        var half = mantissa >> 13
        let remainder = mantissa & 0x1FFF
        if remainder > 0x1000 || (remainder == 0x1000 && (half & 1) == 1) {
            half += 1
            if half == 0x400 { half = 0; e += 1 }
            if e >= 31 { return sign | 0x7C00 }
        }
        return sign | UInt16(e << 10) | UInt16(half)
    }
}
