/// Packing of the 6-bit sub-block scales shared by the K-quant formats.
package enum KQuantScales {
    /// Scale and minimum of sub-block `j` (0..<8) from the 12-byte table of `Q4_K` and `Q5_K`
    /// (ggml's `get_scale_min_k4`): sub-blocks 0–3 use the low 6 bits of bytes j and j+4;
    /// sub-blocks 4–7 join a nibble of byte j+4 with the top 2 bits of bytes j-4 and j.
    @inline(__always)
    package static func scaleMin(_ j: Int, _ table: UnsafeRawPointer) -> (scale: UInt8, min: UInt8) {
        if j < 4 {
            return (table.byte(at: j) & 63, table.byte(at: j + 4) & 63)
        }
        let scale = (table.byte(at: j + 4) & 0x0f) | ((table.byte(at: j - 4) >> 6) << 4)
        let minimum = (table.byte(at: j + 4) >> 4) | ((table.byte(at: j) >> 6) << 4)
        return (scale, minimum)
    }

    /// Writes 8 scales and 8 minimums (each 0...63) into the 12-byte table read by ``scaleMin(_:_:)``.
    package static func packScaleMin(scales: [UInt8], mins: [UInt8], into table: UnsafeMutableRawPointer) {
        for j in 0..<4 {
            table.storeByte((scales[j] & 63) | ((scales[j + 4] >> 4) << 6), at: j)
            table.storeByte((mins[j] & 63) | ((mins[j + 4] >> 4) << 6), at: j + 4)
            table.storeByte((scales[j + 4] & 0x0f) | ((mins[j + 4] & 0x0f) << 4), at: j + 8)
        }
    }

    /// Signed scale of sub-block `k` (0..<16) from the 12-byte table of `Q3_K`: the low 4 bits are
    /// nibble `k / 8` of byte `k % 8`, the high 2 bits are bits `2·(k / 4)` of byte `8 + k % 4`,
    /// and the stored 6-bit value is offset by 32.
    @inline(__always)
    package static func q3Scale(_ k: Int, _ table: UnsafeRawPointer) -> Int32 {
        let low = (table.byte(at: k & 7) >> UInt8(4 * (k >> 3))) & 0x0f
        let high = (table.byte(at: 8 + (k & 3)) >> UInt8(2 * (k >> 2))) & 0x03
        return Int32(low | (high << 4)) - 32
    }

    /// Writes 16 signed scales (each -32...31) into the 12-byte table read by ``q3Scale(_:_:)``.
    package static func packQ3Scales(_ scales: [Int32], into table: UnsafeMutableRawPointer) {
        for i in 0..<12 { table.storeByte(0, at: i) }
        for k in 0..<16 {
            let stored = UInt8(clamping: min(max(scales[k] + 32, 0), 63))
            let lowByte = k & 7
            table.storeByte(table.load(fromByteOffset: lowByte, as: UInt8.self) | ((stored & 0x0f) << UInt8(4 * (k >> 3))), at: lowByte)
            let highByte = 8 + (k & 3)
            table.storeByte(table.load(fromByteOffset: highByte, as: UInt8.self) | ((stored >> 4) << UInt8(2 * (k >> 2))), at: highByte)
        }
    }

    /// Quantizes non-negative sub-block values to integers 0...maxLevel against one shared step:
    /// returns the step (rounded to F16, as stored) and the levels.
    package static func quantizeLevels(_ values: [Float], maxLevel: Float) -> (step: Float, levels: [UInt8]) {
        let largest = values.max() ?? 0
        guard largest > 0 else { return (0, [UInt8](repeating: 0, count: values.count)) }
        let step = HalfPrecision.float(fromHalf: HalfPrecision.halfBits(from: largest / maxLevel))
        guard step > 0 else { return (0, [UInt8](repeating: 0, count: values.count)) }
        let levels = values.map { UInt8(clamping: QuantMath.nearest($0 / step, in: 0...Int32(maxLevel))) }
        return (step, levels)
    }
}
