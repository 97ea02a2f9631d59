/// `Q3_K`: 256 elements in 16 sub-blocks of 16; 3-bit signed quants (-4...3) with 6-bit signed
/// scales; x = d · sc · q.
///
/// Layout (110 bytes): `hmask` at 0 (element 128·h + 32·j + l: bit 4h + j of byte l; a clear bit
/// means subtract 4), `qs` at 32 (low 2 bits, placed as in ``Q2_KBlock``), `scales` at 96
/// (see ``KQuantScales/q3Scale(_:_:)``), `d` (F16) at 108. The quantizer is simple.
public enum Q3_KBlock: BlockFormat {
    /// ``GGMLType/q3_K``.
    public static var type: GGMLType { .q3_K }

    /// Decodes one block.
    public static func dequantize(block: UnsafeRawPointer, into out: UnsafeMutablePointer<Float>) {
        let d = block.loadHalf(at: 108)
        let table = block + 96
        for i in 0..<256 {
            let dl = d * Float(KQuantScales.q3Scale(i >> 4, table))
            let group = (i >> 5) & 3
            let low = (block.byte(at: 32 + 32 * (i >> 7) + (i & 31)) >> UInt8(2 * group)) & 3
            let highBit = (block.byte(at: i & 31) >> UInt8(4 * (i >> 7) + group)) & 1
            out[i] = dl * Float(Int32(low) - (highBit != 0 ? 0 : 4))
        }
    }

    /// Encodes one block: each sub-block's element of largest magnitude maps to -4.
    public static func quantize(_ values: UnsafePointer<Float>, block: UnsafeMutableRawPointer) {
        var steps = [Float](repeating: 0, count: 16)
        for k in 0..<16 { steps[k] = LegacyQuantHelpers.signedAbsMax(values + 16 * k, count: 16) / -4 }
        let largest = steps.map { abs($0) }.max() ?? 0
        let d = HalfPrecision.float(fromHalf: HalfPrecision.halfBits(from: largest / 31))
        let scales: [Int32] = steps.map { d > 0 ? QuantMath.nearest($0 / d, in: -32...31) : 0 }
        block.storeHalf(d, at: 108)
        KQuantScales.packQ3Scales(scales, into: block + 96)
        for i in 0..<96 { block.storeByte(0, at: i) }
        for i in 0..<256 {
            let dl = d * Float(scales[i >> 4])
            let q = dl != 0 ? QuantMath.nearest(values[i] / dl, in: -4...3) : 0
            let stored = UInt8(truncatingIfNeeded: q + 4)
            let group = (i >> 5) & 3
            let lowAt = 32 + 32 * (i >> 7) + (i & 31)
            block.storeByte(block.load(fromByteOffset: lowAt, as: UInt8.self) | ((stored & 3) << UInt8(2 * group)), at: lowAt)
            let highAt = i & 31
            block.storeByte(block.load(fromByteOffset: highAt, as: UInt8.self) | ((stored >> 2) << UInt8(4 * (i >> 7) + group)), at: highAt)
        }
    }
}
