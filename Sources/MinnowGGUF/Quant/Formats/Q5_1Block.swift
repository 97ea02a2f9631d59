/// `Q5_1`: 32 elements as a half scale, a half minimum and 5-bit quants; x = d · q + m.
///
/// Layout (24 bytes): `d` (F16) at 0, `m` (F16) at 2, `qh` (UInt32) at 4, `qs` at 8
/// (bits as in ``Q5_0Block``). The quantizer is ggml's reference (`quantize_row_q5_1_ref`).
public enum Q5_1Block: BlockFormat {
    /// ``GGMLType/q5_1``.
    public static var type: GGMLType { .q5_1 }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        let m = block.loadHalf(at: 2)
        let qh = block.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        for j in 0..<16 {
            let b = UInt32(block.byte(at: 8 + j))
            let h0 = ((qh >> UInt32(j)) << 4) & 0x10
            let h1 = (qh >> UInt32(j + 12)) & 0x10
            out[j] = d * Float((b & 0x0f) | h0) + m
            out[j + 16] = d * Float((b >> 4) | h1) + m
        }
    }

    /// Encodes one block: d = (max - min) / 31, m = min.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        let (lo, hi) = LegacyQuantHelpers.minMax(values, count: 32)
        let d = (hi - lo) / 31
        let id: Float = d != 0 ? 1 / d : 0
        block.storeHalf(d, at: 0)
        block.storeHalf(lo, at: 2)
        var qh: UInt32 = 0
        for j in 0..<16 {
            let q0 = LegacyQuantHelpers.truncatedQuant((values[j] - lo) * id + 0.5, max: 31)
            let q1 = LegacyQuantHelpers.truncatedQuant((values[j + 16] - lo) * id + 0.5, max: 31)
            block.storeByte((q0 & 0x0f) | ((q1 & 0x0f) << 4), at: 8 + j)
            qh |= UInt32(q0 >> 4) << UInt32(j)
            qh |= UInt32(q1 >> 4) << UInt32(j + 16)
        }
        block.storeBytes(of: qh, toByteOffset: 4, as: UInt32.self)
    }
}
