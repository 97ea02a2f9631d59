/// `Q8_K`: 256 elements as a Float scale, 256 signed bytes and 16 partial sums; the activation
/// format ggml pairs with the K-quants.
///
/// Layout (292 bytes): `d` (F32) at 0, `qs` (Int8 × 256) at 4, `bsums` (Int16 × 16, the sum of
/// each run of 16 quants) at 260. The quantizer is ggml's reference (`quantize_row_q8_K_ref`),
/// bit for bit: the element of largest magnitude maps to -127 and rounding is ties-to-even.
public enum Q8_KBlock: BlockFormat {
    /// ``GGMLType/q8_K``.
    public static var type: GGMLType { .q8_K }
    /// Byte offset of the quants.
    public static let quantsOffset = 4
    /// Byte offset of the 16 Int16 partial sums.
    public static let sumsOffset = 260

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadUnaligned(as: Float.self)
        for j in 0..<256 {
            out[j] = d * Float(block.load(fromByteOffset: quantsOffset + j, as: Int8.self))
        }
    }

    /// Encodes one block.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        var amax: Float = 0
        var signedMax: Float = 0
        for j in 0..<256 {
            let ax = abs(values[j])
            if ax > amax {
                amax = ax
                signedMax = values[j]
            }
        }
        if amax == 0 {
            block.storeBytes(of: Float(0), as: Float.self)
            for j in 0..<(256 + 32) { block.storeByte(0, at: quantsOffset + j) }
            return
        }
        let iscale = -127 / signedMax
        for j in 0..<256 {
            let v = QuantMath.nearestInt(iscale * values[j])
            block.storeBytes(of: Int8(truncatingIfNeeded: min(127, max(-128, v))), toByteOffset: quantsOffset + j, as: Int8.self)
        }
        for group in 0..<16 {
            var sum: Int16 = 0
            for j in 0..<16 {
                sum &+= Int16(block.load(fromByteOffset: quantsOffset + group * 16 + j, as: Int8.self))
            }
            block.storeBytes(of: sum, toByteOffset: sumsOffset + 2 * group, as: Int16.self)
        }
        block.storeBytes(of: 1 / iscale, as: Float.self)
    }
}
