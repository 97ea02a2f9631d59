/// `Q6_K`: 256 elements in 16 sub-blocks of 16; 6-bit signed quants (-32...31) with Int8 scales;
/// x = d · sc · q.
///
/// Layout (210 bytes): `ql` at 0, `qh` at 128, `scales` (Int8 × 16) at 192, `d` (F16) at 208.
/// Element 128·h + 32·s + l (s in 0..<4, l in 0..<32) keeps its low nibble in byte
/// 64·h + 32·(s & 1) + l of `ql` (high nibble when s ≥ 2) and its top 2 bits at bits 2s of byte
/// 32·h + l of `qh`; the stored 6-bit value is offset by 32. The quantizer is simple.
public enum Q6_KBlock: BlockFormat {
    /// ``GGMLType/q6_K``.
    public static var type: GGMLType { .q6_K }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 208)
        for i in 0..<256 {
            let h = i >> 7, s = (i >> 5) & 3, l = i & 31
            let low = (block.byte(at: 64 * h + 32 * (s & 1) + l) >> UInt8(4 * (s >> 1))) & 0x0f
            let high = (block.byte(at: 128 + 32 * h + l) >> UInt8(2 * s)) & 3
            let q = Int32(low | (high << 4)) - 32
            let sc = Float(block.load(fromByteOffset: 192 + (i >> 4), as: Int8.self))
            out[i] = (d * sc) * Float(q)
        }
    }

    /// Encodes one block: each sub-block's element of largest magnitude maps to -32.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        var steps = [Float](repeating: 0, count: 16)
        for k in 0..<16 { steps[k] = LegacyQuantHelpers.signedAbsMax(values + 16 * k, count: 16) / -32 }
        let largest = steps.map { abs($0) }.max() ?? 0
        let d = HalfPrecision.float(fromHalf: HalfPrecision.halfBits(from: largest / 127))
        let scales: [Int32] = steps.map { d > 0 ? QuantMath.nearest($0 / d, in: -127...127) : 0 }
        block.storeHalf(d, at: 208)
        for k in 0..<16 { block.storeBytes(of: Int8(clamping: scales[k]), toByteOffset: 192 + k, as: Int8.self) }
        for i in 0..<192 { block.storeByte(0, at: i) }
        for i in 0..<256 {
            let dl = d * Float(scales[i >> 4])
            let q = dl != 0 ? QuantMath.nearest(values[i] / dl, in: -32...31) : 0
            let stored = UInt8(truncatingIfNeeded: q + 32)
            let h = i >> 7, s = (i >> 5) & 3, l = i & 31
            let lowAt = 64 * h + 32 * (s & 1) + l
            block.storeByte(block.load(fromByteOffset: lowAt, as: UInt8.self) | ((stored & 0x0f) << UInt8(4 * (s >> 1))), at: lowAt)
            let highAt = 128 + 32 * h + l
            block.storeByte(block.load(fromByteOffset: highAt, as: UInt8.self) | ((stored >> 4) << UInt8(2 * s)), at: highAt)
        }
    }
}
