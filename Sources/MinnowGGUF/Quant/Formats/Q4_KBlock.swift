/// `Q4_K`: 256 elements in 8 sub-blocks of 32; 4-bit quants with 6-bit scales and minimums;
/// x = d · sc · q - dmin · m.
///
/// Layout (144 bytes): `d` (F16) at 0, `dmin` (F16) at 2, `scales` (12 bytes, see
/// ``KQuantScales/scaleMin(_:_:)``) at 4, `qs` at 16: element 64·j + l is the low nibble of byte
/// 32·j + l (sub-block 2j) and element 64·j + 32 + l its high nibble (sub-block 2j + 1).
/// The quantizer is simple, not ggml's search.
public enum Q4_KBlock: BlockFormat {
    /// ``GGMLType/q4_K``.
    public static var type: GGMLType { .q4_K }

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
                let b = block.byte(at: 16 + 32 * j + l)
                out[64 * j + l] = d0 * Float(b & 0x0f) - dm0
                out[64 * j + 32 + l] = d1 * Float(b >> 4) - dm1
            }
        }
    }

    /// Encodes one block: each sub-block spans [min(0, lo), hi] in 15 steps.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        KQuantAsymmetric.quantize(values, block: block, bits: 4)
    }
}

/// The simple quantizer shared by `Q4_K` and `Q5_K` (same scale table, 4 or 5 bits per quant).
package enum KQuantAsymmetric {
    /// Encodes one `Q4_K` (bits 4) or `Q5_K` (bits 5) block.
    package static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer, bits: Int) {
        let maxQuant = Float((1 << bits) - 1)
        var steps = [Float](repeating: 0, count: 8)
        var offsets = [Float](repeating: 0, count: 8)
        for k in 0..<8 {
            let (lo, hi) = LegacyQuantHelpers.minMax(values + 32 * k, count: 32)
            let low = min(0, lo)
            steps[k] = max(0, hi - low) / maxQuant
            offsets[k] = -low
        }
        let (d, sc) = KQuantScales.quantizeLevels(steps, maxLevel: 63)
        let (dmin, m) = KQuantScales.quantizeLevels(offsets, maxLevel: 63)
        block.storeHalf(d, at: 0)
        block.storeHalf(dmin, at: 2)
        KQuantScales.packScaleMin(scales: sc, mins: m, into: block + 4)
        let quantsAt = bits == 4 ? 16 : 48
        for i in 0..<(bits == 4 ? 128 : 160) { block.storeByte(0, at: 16 + i) }
        for i in 0..<256 {
            let k = i >> 5
            let dl = d * Float(sc[k])
            let ml = dmin * Float(m[k])
            let q = dl > 0 ? UInt8(clamping: QuantMath.nearest((values[i] + ml) / dl, in: 0...Int32(maxQuant))) : 0
            let j = i >> 6, l = i & 31, high = (i >> 5) & 1
            let at = quantsAt + 32 * j + l
            block.storeByte(block.load(fromByteOffset: at, as: UInt8.self) | ((q & 0x0f) << UInt8(4 * high)), at: at)
            if bits == 5 {
                let hAt = 16 + l
                block.storeByte(block.load(fromByteOffset: hAt, as: UInt8.self) | ((q >> 4) << UInt8(2 * j + high)), at: hAt)
            }
        }
    }
}
