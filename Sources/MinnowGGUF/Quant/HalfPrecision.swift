/// Bit-level conversions between `Float` and the 16-bit float formats ggml stores
/// (IEEE 754 binary16, "F16", and bfloat16, "BF16").
///
/// These work on raw bit patterns, so they need neither `Float16` (unavailable on some
/// platforms) nor a library call (`Float(Float16)` calls `__extendhfsf2` on baseline x86-64).
/// Both directions are exact: widening is lossless, and narrowing rounds to nearest, ties to even,
/// as ggml does.
public enum HalfPrecision {
    /// The `Float` value of an IEEE binary16 bit pattern. Exact for every input, NaN payloads kept.
    @inlinable @inline(__always)
    public static func float(fromHalf bits: UInt16) -> Float {
        let h = UInt32(bits)
        let sign = (h & 0x8000) << 16
        let magnitude = h & 0x7fff
        if magnitude >= 0x7c00 {
            // Infinity or NaN: all-ones exponent, mantissa moved to the top of the float mantissa.
            return Float(bitPattern: sign | 0x7f80_0000 | ((magnitude & 0x03ff) << 13))
        }
        // Place exponent and mantissa as if they were float bits with a zero-based exponent, then
        // rescale by 2^(127-15). Normal and subnormal halves both come out exact, since every half
        // value is representable as a float and the multiplication is by a power of two.
        let scaled = Float(bitPattern: magnitude << 13) * Float(bitPattern: 0x7780_0000)
        return Float(bitPattern: sign | scaled.bitPattern)
    }

    /// The IEEE binary16 bit pattern nearest to `value` (ties to even; overflow gives infinity,
    /// NaN stays NaN).
    @inlinable
    public static func halfBits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16(truncatingIfNeeded: (bits >> 16) & 0x8000)
        let magnitude = bits & 0x7fff_ffff
        if magnitude >= 0x7f80_0000 {
            // Infinity, or NaN kept quiet.
            return sign | (magnitude > 0x7f80_0000 ? 0x7e00 : 0x7c00)
        }
        let exponent = Int(magnitude >> 23) - 127
        if exponent > 15 { return sign | 0x7c00 }
        let mantissa = magnitude & 0x007f_ffff
        var result: UInt32
        var remainder: UInt32
        var halfway: UInt32
        if exponent >= -14 {
            // Normal half: keep the top 10 mantissa bits.
            result = (UInt32(exponent + 15) << 10) | (mantissa >> 13)
            remainder = mantissa & 0x1fff
            halfway = 0x1000
        } else {
            // Subnormal half (or zero): shift the full significand right.
            let shift = UInt32(-14 - exponent + 13)
            if shift > 24 { return sign }
            let significand = mantissa | 0x0080_0000
            result = significand >> shift
            remainder = significand & ((1 << shift) &- 1)
            halfway = 1 << (shift &- 1)
        }
        // Round to nearest, ties to even. A carry out of the mantissa correctly bumps the exponent,
        // up to infinity (0x7c00).
        if remainder > halfway || (remainder == halfway && (result & 1) == 1) {
            result += 1
        }
        return sign | UInt16(truncatingIfNeeded: result)
    }

    /// The `Float` value of a bfloat16 bit pattern (exact: bfloat16 is the top half of a float).
    @inlinable @inline(__always)
    public static func float(fromBFloat16 bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// The bfloat16 bit pattern nearest to `value`, ties to even; NaN stays a quiet NaN (as ggml).
    @inlinable
    public static func bfloat16Bits(from value: Float) -> UInt16 {
        let bits = value.bitPattern
        if bits & 0x7fff_ffff > 0x7f80_0000 {
            return UInt16(truncatingIfNeeded: (bits >> 16) | 64)
        }
        let rounded = (UInt64(bits) + UInt64(0x7fff + ((bits >> 16) & 1))) >> 16
        return UInt16(truncatingIfNeeded: rounded)
    }
}
