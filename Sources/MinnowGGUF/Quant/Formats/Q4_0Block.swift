/// `Q4_0`: 32 elements as a half scale and 4-bit quants; x = d · (q - 8).
///
/// Layout (18 bytes): `d` (F16) at 0, `qs` at 2: byte j holds element j in its low nibble and
/// element j + 16 in its high nibble. The quantizer is ggml's reference (`quantize_row_q4_0_ref`).
public enum Q4_0Block: BlockFormat {
    /// ``GGMLType/q4_0``.
    public static var type: GGMLType { .q4_0 }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        for j in 0..<16 {
            let b = block.byte(at: 2 + j)
            out[j] = d * Float(Int32(b & 0x0f) - 8)
            out[j + 16] = d * Float(Int32(b >> 4) - 8)
        }
    }

    /// Encodes one block: the element of largest magnitude maps to quant 0 (value -8 · d).
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        let signedMax = LegacyQuantHelpers.signedAbsMax(values, count: 32)
        let d = signedMax / -8
        let id: Float = d != 0 ? 1 / d : 0
        block.storeHalf(d, at: 0)
        for j in 0..<16 {
            let q0 = LegacyQuantHelpers.truncatedQuant(values[j] * id + 8.5, max: 15)
            let q1 = LegacyQuantHelpers.truncatedQuant(values[j + 16] * id + 8.5, max: 15)
            block.storeByte(q0 | (q1 << 4), at: 2 + j)
        }
    }
}
