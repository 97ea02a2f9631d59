/// `Q5_K`: 256 elements in 8 sub-blocks of 32; 5-bit quants with 6-bit scales and minimums;
/// x = d · sc · q - dmin · m.
///
/// Layout (176 bytes): `d` (F16) at 0, `dmin` (F16) at 2, `scales` (12 bytes) at 4, `qh` at 16
/// (element 64·j + 32·s + l has its fifth bit at bit 2j + s of byte l), `qs` at 48 (low nibbles
/// placed as in ``Q4_KBlock``). The quantizer is simple, not ggml's search.
public enum Q5_KBlock: BlockFormat {
    /// ``GGMLType/q5_K``.
    public static var type: GGMLType { .q5_K }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 0)
        let dmin = block.loadHalf(at: 2)
        for j in 0..<4 {
            let (sc0, m0) = KQuantScales.scaleMin(2 * j, block + 4)
            let (sc1, m1) = KQuantScales.scaleMin(2 * j + 1, block + 4)
            let d0 = d * Float(sc0), dm0 = dmin * Float(m0)
            let d1 = d * Float(sc1), dm1 = dmin * Float(m1)
            for l in 0..<32 {
                let b = block.byte(at: 48 + 32 * j + l)
                let h = block.byte(at: 16 + l) >> UInt8(2 * j)
                out[64 * j + l] = d0 * Float((b & 0x0f) | ((h & 1) << 4)) - dm0
                out[64 * j + 32 + l] = d1 * Float((b >> 4) | ((h & 2) << 3)) - dm1
            }
        }
    }

    /// Encodes one block: each sub-block spans [min(0, lo), hi] in 31 steps.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        KQuantAsymmetric.quantize(values, block: block, bits: 5)
    }
}
