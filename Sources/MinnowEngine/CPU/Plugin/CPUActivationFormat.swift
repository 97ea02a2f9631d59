import MinnowGGUF

/// The format the CPU backend converts activations to before a kernel's dot products: floats,
/// or ggml's int8 blocks. Every format's blocks follow one another with no padding.
public enum CPUActivationFormat: Sendable, Hashable, CaseIterable {
    /// 32-bit floats, 4 bytes per element.
    case f32
    /// `Q8_0` blocks of 32 elements, 34 bytes: scale `d` (Float16) at 0, 32 × Int8 at 2;
    /// x ≈ d · q. Paired with `Q8_0`, `Q4_0` and `Q5_0` weights.
    case q8_0
    /// `Q8_1` blocks of 32 elements, 36 bytes: `d` (Float16) at 0, `s` = d · Σq (Float16) at 2,
    /// 32 × Int8 at 4. Paired with `Q4_1` and `Q5_1` weights.
    case q8_1
    /// `Q8_K` blocks of 256 elements, 292 bytes: `d` (Float32) at 0, 256 × Int8 at 4, and the
    /// sum of each run of 16 quants (16 × Int16) at 260. Paired with the K-quants.
    case q8_K

    /// The format the built-in kernels use for weights of `type`.
    public init(pairedWith type: GGMLType) {
        switch QuantKernels.activationType(for: type) {
        case .q8_0: self = .q8_0
        case .q8_1: self = .q8_1
        case .q8_K: self = .q8_K
        default: self = .f32
        }
    }

    /// The ggml type of the format.
    public var type: GGMLType {
        switch self {
        case .f32: .f32
        case .q8_0: .q8_0
        case .q8_1: .q8_1
        case .q8_K: .q8_K
        }
    }

    /// Converts `count` floats at `x` into this format at `out` (ggml's reference rounding).
    package func convert(_ x: UnsafePointer<Float>, count: Int, into out: UnsafeMutableRawPointer) {
        switch self {
        case .f32: out.copyMemory(from: x, byteCount: count * 4)
        case .q8_0: X86ActivationQuantizer.quantizeQ8_0(x, count: count, into: out)
        case .q8_1: X86ActivationQuantizer.quantizeQ8_1(x, count: count, into: out)
        case .q8_K: QuantKernels.quantizeActivations(x, count: count, to: .q8_K, into: out)
        }
    }
}
