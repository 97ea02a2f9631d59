/// `Q5_0`: 32 elements as a half scale and 5-bit quants; x = d · (q - 16).
///
/// Layout (22 bytes): `d` (F16) at 0, `qh` (UInt32, bit j = fifth bit of element j) at 2,
/// `qs` at 6 (low nibbles as in ``Q4_0Block``). The quantizer is ggml's reference.
public enum Q5_0Block: BlockFormat {
    /// ``GGMLType/q5_0``.
    public static var type: GGMLType { .q5_0 }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        let qh = block.loadUnaligned(fromByteOffset: 2, as: UInt32.self)
        for j in 0..<16 {
            let b = UInt32(block.byte(at: 6 + j))
            let h0 = ((qh >> UInt32(j)) << 4) & 0x10
            let h1 = (qh >> UInt32(j + 12)) & 0x10
            out[j] = d * Float(Int32((b & 0x0f) | h0) - 16)
            out[j + 16] = d * Float(Int32((b >> 4) | h1) - 16)
        }
    }

    /// Encodes one block: the element of largest magnitude maps to quant 0 (value -16 · d).
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        let signedMax = LegacyQuantHelpers.signedAbsMax(values, count: 32)
        let d = signedMax / -16
        let id: Float = d != 0 ? 1 / d : 0
        block.storeHalf(d, at: 0)
        var qh: UInt32 = 0
        for j in 0..<16 {
            let q0 = LegacyQuantHelpers.truncatedQuant(values[j] * id + 16.5, max: 31)
            let q1 = LegacyQuantHelpers.truncatedQuant(values[j + 16] * id + 16.5, max: 31)
            block.storeByte((q0 & 0x0f) | ((q1 & 0x0f) << 4), at: 6 + j)
            qh |= UInt32(q0 >> 4) << UInt32(j)
            qh |= UInt32(q1 >> 4) << UInt32(j + 16)
        }
        block.storeBytes(of: qh, toByteOffset: 2, as: UInt32.self)
    }
}
