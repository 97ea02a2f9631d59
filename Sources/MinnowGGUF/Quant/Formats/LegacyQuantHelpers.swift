/// Small pieces shared by the reference quantizers of the 32-element formats.
package enum LegacyQuantHelpers {
    /// The element of largest magnitude, with its sign (the first one on ties), as ggml picks it.
    package static func signedAbsMax(_ values: UnsafePointer<Float>, count: Int) -> Float {
        var amax: Float = 0
        var result: Float = 0
        for j in 0..<count where amax < abs(values[j]) {
            amax = abs(values[j])
            result = values[j]
        }
        return result
    }

    /// The smallest and largest element.
    package static func minMax(_ values: UnsafePointer<Float>, count: Int) -> (Float, Float) {
        var lo = Float.greatestFiniteMagnitude
        var hi = -Float.greatestFiniteMagnitude
        for j in 0..<count {
            lo = min(lo, values[j])
            hi = max(hi, values[j])
        }
        return (lo, hi)
    }

    /// C's `MIN(max, (int8_t)x)` for the non-negative `x` the quantizers produce, made total:
    /// truncation toward zero, clamped to 0...max (NaN gives 0).
    @inline(__always)
    package static func truncatedQuant(_ x: Float, max: UInt8) -> UInt8 {
        let t = QuantMath.truncate(x)
        return UInt8(clamping: Swift.min(Swift.max(t, 0), Int32(max)))
    }
}
