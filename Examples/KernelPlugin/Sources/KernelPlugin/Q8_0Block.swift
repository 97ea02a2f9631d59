/// One `Q8_0` block in memory: a half-precision scale, then 32 signed bytes (34 bytes). Weights
/// and their activations share this layout.
struct Q8_0Block {
    /// Bytes of one block.
    static let size = 34
    /// Values per block.
    static let count = 32

    /// The block's first byte.
    let base: UnsafeRawPointer

    /// The scale `d`: a value is d · q.
    var scale: Float { Self.float(halfBits: base.loadUnaligned(as: UInt16.self)) }

    /// Σ q · q' over the 32 quants of this block and `other`.
    func quantDot(_ other: Q8_0Block) -> Int32 {
        var sum: Int32 = 0
        for i in 0..<Self.count {
            let a = base.load(fromByteOffset: 2 + i, as: Int8.self)
            let b = other.base.load(fromByteOffset: 2 + i, as: Int8.self)
            sum += Int32(a) * Int32(b)
        }
        return sum
    }

    /// The Float of IEEE half-precision bits (Float16 is not on every platform Minnow supports).
    static func float(halfBits bits: UInt16) -> Float {
        let negative = bits & 0x8000 != 0
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        let magnitude: Float = switch exponent {
        case 0: fraction * 0x1p-24
        case 31: fraction == 0 ? .infinity : .nan
        default: (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
        return negative ? -magnitude : magnitude
    }
}
