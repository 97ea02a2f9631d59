/// `Q4_1`: 32 elements as a half scale, a half minimum and 4-bit quants; x = d · q + m.
///
/// Layout (20 bytes): `d` (F16) at 0, `m` (F16) at 2, `qs` at 4 (nibbles as in ``Q4_0Block``).
/// The quantizer is ggml's reference (`quantize_row_q4_1_ref`).
public enum Q4_1Block: BlockFormat {
    /// ``GGMLType/q4_1``.
    public static var type: GGMLType { .q4_1 }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        let m = block.loadHalf(at: 2)
        for j in 0..<16 {
            let b = block.byte(at: 4 + j)
            out[j] = d * Float(b & 0x0f) + m
            out[j + 16] = d * Float(b >> 4) + m
        }
    }

    /// Encodes one block: d = (max - min) / 15, m = min.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        let (lo, hi) = LegacyQuantHelpers.minMax(values, count: 32)
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        block.storeHalf(d, at: 0)
        block.storeHalf(lo, at: 2)
        for j in 0..<16 {
            let q0 = LegacyQuantHelpers.truncatedQuant((values[j] - lo) * id + 0.5, max: 15)
            let q1 = LegacyQuantHelpers.truncatedQuant((values[j + 16] - lo) * id + 0.5, max: 15)
            block.storeByte(q0 | (q1 << 4), at: 4 + j)
        }
    }
}
