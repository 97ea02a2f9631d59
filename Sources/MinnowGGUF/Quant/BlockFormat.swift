/// One ggml block format: how `blockSize` elements are packed into `blockBytes` bytes.
///
/// Implementations are caseless enums with static functions so that the generic row loops in
/// ``Dequantizer`` and ``Quantizer`` specialize to straight-line code for each format.
/// Blocks are read and written with unaligned loads and stores, little-endian, as GGUF stores them.
public protocol BlockFormat {
    /// The ggml type this format implements.
    static var type: GGMLType { get }

    /// Decodes one block at `block` into `type.blockSize` floats at `out`.
    static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>)

    /// Encodes `type.blockSize` floats at `values` into one block at `block`.
    static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer)
}

extension UnsafeRawPointer {
    /// The float value of the little-endian IEEE half stored at `offset`.
    @inlinable @inline(__always)
    package func loadHalf(at offset: Int) -> Float {
        HalfPrecision.float(fromHalf: loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    /// The byte at `offset`.
    @inlinable @inline(__always)
    package func byte(at offset: Int) -> UInt8 {
        load(fromByteOffset: offset, as: UInt8.self)
    }
}

extension UnsafeMutableRawPointer {
    /// Stores `value` as a little-endian IEEE half at `offset` (rounded to nearest even).
    @inlinable @inline(__always)
    package func storeHalf(_ value: Float, at offset: Int) {
        storeBytes(of: HalfPrecision.halfBits(from: value), toByteOffset: offset, as: UInt16.self)
    }

    /// Stores the byte `value` at `offset`.
    @inlinable @inline(__always)
    package func storeByte(_ value: UInt8, at offset: Int) {
        storeBytes(of: value, toByteOffset: offset, as: UInt8.self)
    }
}

/// Shared float helpers that reproduce ggml's C rounding exactly.
package enum QuantMath {
    /// C's `roundf`: nearest integer, halfway cases away from zero.
    @inlinable @inline(__always)
    package static func roundAway(_ x: Float) -> Float { x.rounded(.toNearestOrAwayFromZero) }

    /// ggml's `nearest_int`: round to nearest, ties to even, via the 1.5·2^23 trick
    /// (valid for |x| ≤ 2^22, which every caller guarantees).
    @inlinable @inline(__always)
    package static func nearestInt(_ x: Float) -> Int32 {
        let shifted = x + 12_582_912
        return Int32(bitPattern: shifted.bitPattern & 0x007f_ffff) &- 0x0040_0000
    }

    /// C's `(int)x` truncation toward zero, clamped to the Int32 range (never traps).
    @inlinable @inline(__always)
    package static func truncate(_ x: Float) -> Int32 {
        guard x.isFinite else { return 0 }
        if x >= 2_147_483_520 { return Int32.max }
        if x <= -2_147_483_648 { return Int32.min }
        return Int32(x.rounded(.towardZero))
    }

    /// `x` rounded half away from zero (C `roundf`) and clamped to Int8; NaN gives 0.
    @inlinable @inline(__always)
    package static func int8RoundedAway(_ x: Float) -> Int8 {
        Int8(clamping: truncate(roundAway(x)))
    }

    /// `x` rounded to nearest (ties to even) and clamped to `range`; NaN gives 0 clamped into the
    /// range; never traps.
    @inlinable @inline(__always)
    package static func nearest(_ x: Float, in range: ClosedRange<Int32>) -> Int32 {
        let r = truncate(x.rounded(.toNearestOrEven))  // non-finite → 0
        return min(max(r, range.lowerBound), range.upperBound)
    }
}
