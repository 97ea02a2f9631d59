/// `Q8_0`: 32 elements as a half scale `d` and 32 signed bytes; x = d · q.
///
/// Layout (34 bytes): `d` (F16) at 0, `qs` (Int8 × 32) at 2.
/// The quantizer is ggml's reference (`quantize_row_q8_0_ref`), bit for bit.
public enum Q8_0Block: BlockFormat {
    /// ``GGMLType/q8_0``.
    public static var type: GGMLType { .q8_0 }
    /// Byte offset of the quants.
    public static let quantsOffset = 2

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        for j in 0..<32 {
            out[j] = Float(block.load(fromByteOffset: quantsOffset + j, as: Int8.self)) * d
        }
    }

    /// Encodes one block: d = max|x| / 127, q = roundf(x / d).
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(values[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        block.storeHalf(d, at: 0)
        for j in 0..<32 {
            block.storeBytes(of: QuantMath.int8RoundedAway(values[j] * id), toByteOffset: quantsOffset + j, as: Int8.self)
        }
    }
}
