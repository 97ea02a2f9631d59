/// Converts ggml tensor data of any supported ``GGMLType`` to `Float`.
///
/// Supported: F32, F16, BF16, Q8_0, Q8_1, Q4_0, Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K
/// and Q8_K. Other types throw ``QuantizationError/unsupportedType(_:operation:)``.
public enum Dequantizer {
    /// Whether ``dequantize(_:from:count:into:)`` accepts `type`.
    public static func supports(_ type: GGMLType) -> Bool {
        switch type {
        case .f32, .f16, .bf16, .q8_0, .q8_1, .q4_0, .q4_1, .q5_0, .q5_1,
             .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .q8_K:
            return true
        default:
            return false
        }
    }

    /// The block format implementing `type`, for the block-quantized types.
    package static func blockFormat(for type: GGMLType) -> (any BlockFormat.Type)? {
        switch type {
        case .q8_0: return Q8_0Block.self
        case .q8_1: return Q8_1Block.self
        case .q4_0: return Q4_0Block.self
        case .q4_1: return Q4_1Block.self
        case .q5_0: return Q5_0Block.self
        case .q5_1: return Q5_1Block.self
        case .q2_K: return Q2_KBlock.self
        case .q3_K: return Q3_KBlock.self
        case .q4_K: return Q4_KBlock.self
        case .q5_K: return Q5_KBlock.self
        case .q6_K: return Q6_KBlock.self
        case .q8_K: return Q8_KBlock.self
        default: return nil
        }
    }

    /// Decodes `count` elements of `type` stored at `source` into `out`.
    ///
    /// The caller guarantees that `source` holds `type.rowBytes(elements: count)` bytes and `out`
    /// has room for `count` floats.
    /// - Throws: ``QuantizationError`` when `type` is unsupported or `count` is not a whole number
    ///   of blocks.
    public static func dequantize(
        _ type: GGMLType, from source: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>
    ) throws {
        guard count >= 0, count % type.blockSize == 0 else {
            throw QuantizationError.invalidCount(count, type: type)
        }
        switch type {
        case .f32:
            for i in 0..<count { out[i] = source.loadUnaligned(fromByteOffset: 4 * i, as: Float.self) }
        case .f16:
            for i in 0..<count { out[i] = source.loadHalf(at: 2 * i) }
        case .bf16:
            for i in 0..<count {
                out[i] = HalfPrecision.float(fromBFloat16: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
            }
        default:
            guard let format = blockFormat(for: type) else {
                throw QuantizationError.unsupportedType(type, operation: "dequantization")
            }
            decodeBlocks(format, source: source, count: count, out: out)
        }
    }

    /// Decodes the elements in `bytes` (exactly a whole number of blocks of `type`) into a new array.
    /// - Throws: ``QuantizationError`` for an unsupported type or a byte count that is not a whole
    ///   number of blocks.
    public static func dequantize(_ type: GGMLType, bytes: UnsafeRawBufferPointer) throws -> [Float] {
        guard bytes.count % type.blockBytes == 0, let base = bytes.baseAddress ?? (bytes.isEmpty ? UnsafeRawPointer(bitPattern: 1) : nil) else {
            throw QuantizationError.invalidCount(bytes.count, type: type)
        }
        let count = bytes.count / type.blockBytes * type.blockSize
        guard supports(type) else { throw QuantizationError.unsupportedType(type, operation: "dequantization") }
        return try [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0, let out = buffer.baseAddress {
                try dequantize(type, from: base, count: count, into: out)
            }
            initialized = count
        }
    }

    @inline(__always)
    private static func decodeBlocks<F: BlockFormat>(
        _ format: F.Type, source: UnsafeRawPointer, count: Int, out: UnsafeMutablePointer<Float>
    ) {
        let blocks = count / F.type.blockSize
        for b in 0..<blocks {
            F.dequantize(block: source + b * F.type.blockBytes, into: out + b * F.type.blockSize)
        }
    }
}
