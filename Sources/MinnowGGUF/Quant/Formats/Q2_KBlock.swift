/// `Q2_K`: 256 elements in 16 sub-blocks of 16; 2-bit quants with 4-bit scales and minimums;
/// x = d · sc · q - dmin · m.
///
/// Layout (84 bytes): `scales` at 0 (byte k: scale of sub-block k in the low nibble, minimum in
/// the high nibble), `qs` at 16 (element 128·h + 32·j + l is bits 2j of byte 32·h + l),
/// `d` (F16) at 80, `dmin` (F16) at 82. The quantizer is simple, not ggml's search.
public enum Q2_KBlock: BlockFormat {
    /// ``GGMLType/q2_K``.
    public static var type: GGMLType { .q2_K }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 80)
        let dmin = block.loadHalf(at: 82)
        for i in 0..<256 {
            let sc = block.byte(at: i >> 4)
            let dl = d * Float(sc & 0x0f)
            let ml = dmin * Float(sc >> 4)
            let byte = block.byte(at: 16 + 32 * (i >> 7) + (i & 31))
            let q = (byte >> UInt8(2 * ((i >> 5) & 3))) & 3
            out[i] = dl * Float(q) - ml
        }
    }

    /// Encodes one block: each sub-block spans [min(0, lo), hi] in 3 steps.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        var steps = [Float](repeating: 0, count: 16)
        var offsets = [Float](repeating: 0, count: 16)
        for k in 0..<16 {
            let (lo, hi) = LegacyQuantHelpers.minMax(values + 16 * k, count: 16)
            let low = min(0, lo)
            steps[k] = max(0, hi - low) / 3
            offsets[k] = -low
        }
        let (d, sc) = KQuantScales.quantizeLevels(steps, maxLevel: 15)
        let (dmin, m) = KQuantScales.quantizeLevels(offsets, maxLevel: 15)
        block.storeHalf(d, at: 80)
        block.storeHalf(dmin, at: 82)
        for k in 0..<16 { block.storeByte(sc[k] | (m[k] << 4), at: k) }
        for i in 0..<64 { block.storeByte(0, at: 16 + i) }
        for i in 0..<256 {
            let k = i >> 4
            let dl = d * Float(sc[k])
            let ml = dmin * Float(m[k])
            let q = dl > 0 ? UInt8(clamping: QuantMath.nearest((values[i] + ml) / dl, in: 0...3)) : 0
            let at = 16 + 32 * (i >> 7) + (i & 31)
            block.storeByte(block.load(fromByteOffset: at, as: UInt8.self) | (q << UInt8(2 * ((i >> 5) & 3))), at: at)
        }
    }
}
