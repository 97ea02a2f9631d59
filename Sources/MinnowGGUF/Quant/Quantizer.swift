/// Converts `Float` data to any supported ``GGMLType``.
///
/// Q8_0, Q8_1, Q8_K, Q4_0, Q4_1, Q5_0 and Q5_1 use ggml's reference quantizers bit for bit; the
/// K-quant weight formats (Q2_K…Q6_K) use a simple per-sub-block min/max quantizer, good enough to
/// write test files but not tuned like ggml's error search. F32, F16 and BF16 round to nearest even.
public enum Quantizer {
    /// Whether ``quantize(_:from:count:into:)`` accepts `type`.
    public static func supports(_ type: GGMLType) -> Bool { Dequantizer.supports(type) }

    /// Encodes `count` floats from `source` as `type` into `out`, which must hold
    /// `type.rowBytes(elements: count)` bytes.
    /// - Throws: ``QuantizationError`` when `type` is unsupported or `count` is not a whole number
    ///   of blocks.
    public static func quantize(
        _ type: GGMLType, from source: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer
    ) throws {
        guard count >= 0, count % type.blockSize == 0 else {
            throw QuantizationError.invalidCount(count, type: type)
        }
        switch type {
        case .f32:
            for i in 0..<count { out.storeBytes(of: source[i], toByteOffset: 4 * i, as: Float.self) }
        case .f16:
            for i in 0..<count { out.storeHalf(source[i], at: 2 * i) }
        case .bf16:
            for i in 0..<count {
                out.storeBytes(of: HalfPrecision.bfloat16Bits(from: source[i]), toByteOffset: 2 * i, as: UInt16.self)
            }
        default:
            guard let format = Dequantizer.blockFormat(for: type) else {
                throw QuantizationError.unsupportedType(type, operation: "quantization")
            }
            encodeBlocks(format, source: source, count: count, out: out)
        }
    }

    /// Encodes `values` as `type` into a new byte array.
    /// - Throws: ``QuantizationError`` as ``quantize(_:from:count:into:)``.
    public static func quantize(_ type: GGMLType, _ values: [Float]) throws -> [UInt8] {
        guard let size = type.rowBytes(elements: values.count) else {
            throw QuantizationError.invalidCount(values.count, type: type)
        }
        guard supports(type) else { throw QuantizationError.unsupportedType(type, operation: "quantization") }
        var bytes = [UInt8](repeating: 0, count: size)
        try values.withUnsafeBufferPointer { src in
            try bytes.withUnsafeMutableBytes { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                try quantize(type, from: s, count: values.count, into: d)
            }
        }
        return bytes
    }

    @inline(__always)
    private static func encodeBlocks<F: BlockFormat>(
        _ format: F.Type, source: UnsafePointer<Float>, count: Int, out: UnsafeMutableRawPointer
    ) {
        let blocks = count / F.type.blockSize
        for b in 0..<blocks {
            F.quantize(source + b * F.type.blockSize, block: out + b * F.type.blockBytes)
        }
    }
}
