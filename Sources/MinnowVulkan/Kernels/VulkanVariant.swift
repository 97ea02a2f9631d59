/// Which family of matmul shaders the kernels use. Every other op (norms, attention, RoPE, …)
/// has one shader for all variants.
///
/// - ``portable``: the shaders that need nothing beyond Vulkan 1.1 compute: on a CPU-type
///   device (lavapipe) each invocation owns a whole weight row (`matmul_row_*`); elsewhere the
///   invocations of a workgroup split a row and meet in a shared-memory tree (`matmul_*`).
/// - ``subgroup``: a row's 32-element chunks are split over one subgroup (workgroup size = the
///   reported subgroup size) and summed with `subgroupAdd` (`matmul_sg_*`); needs subgroup
///   arithmetic in compute shaders.
/// - ``integerDot``: the activations are first quantized to Q8_1-style int8 blocks
///   (`quantize_q8_1`), and each chunk of a quantized weight row is a packed 4×8-bit integer dot
///   product (`OpSDot`/`OpSUDot`, SPV_KHR_integer_dot_product) reduced with `subgroupAdd`
///   (`matmul_dot_*`); needs subgroup arithmetic and the `shaderIntegerDotProduct` feature.
///   F32 and F16 weights have no integer form and use the ``subgroup`` shader.
/// - ``tiled``: prompts of at least `VulkanKernels.tiledMinColumns` tokens (8) use a
///   shared-memory tiled matrix-matrix shader (`matmul_tiled_*`, every weight type: a
///   workgroup of 64 computes 32 rows × 16 tokens, staging dequantized weights and activations
///   in shared memory); decode and shorter batches use the ``portable`` shaders. Needs nothing
///   beyond Vulkan 1.1 compute. Never chosen automatically: its speed on a GPU is unmeasured.
///
/// Each variant serves both the matrix-vector (decode) and the matrix-matrix (prompt) product.
/// ``automatic(for:)`` picks one from the device; `MINNOW_VULKAN_VARIANT` forces one.
public enum VulkanVariant: String, Sendable, CaseIterable, CustomStringConvertible {
    case portable
    case subgroup
    case integerDot = "integer-dot"
    case tiled

    /// The name `MINNOW_VULKAN_VARIANT` takes: portable, subgroup, integer-dot or tiled.
    public var description: String { rawValue }

    /// The default for a device: ``portable`` on CPU-type devices (lavapipe, where the
    /// row-per-invocation shader was measured fastest); on GPUs ``integerDot`` when the device
    /// reports packed 4×8-bit dot products as accelerated, else ``subgroup`` when it has subgroup
    /// arithmetic, else ``portable``. Unmeasured on real GPUs: see docs/vulkan.md. ``tiled`` is
    /// only ever forced: it is not chosen blind, before its speed on a GPU is measured.
    public static func automatic(for info: VulkanDeviceInfo) -> VulkanVariant {
        if info.kind == .cpu { return .portable }
        if missing(.integerDot, on: info).isEmpty && info.features.integerDotProductAccelerated { return .integerDot }
        if missing(.subgroup, on: info).isEmpty { return .subgroup }
        return .portable
    }

    /// What the device lacks to run `variant` (empty when it can).
    public static func missing(_ variant: VulkanVariant, on info: VulkanDeviceInfo) -> [String] {
        let f = info.features
        var lacks: [String] = []
        if variant.usesSubgroups {
            if !f.subgroupInCompute { lacks.append("subgroup operations in compute shaders") }
            if !f.subgroupOperations.contains("arithmetic") { lacks.append("subgroup arithmetic") }
        }
        if variant == .integerDot && !f.integerDotProduct {
            lacks.append("the shaderIntegerDotProduct feature (VK_KHR_shader_integer_dot_product)")
        }
        return lacks
    }

    /// The variant named by `MINNOW_VULKAN_VARIANT` (`value`), or the automatic one when it is
    /// nil or empty. Throws for an unknown name, or a variant the device cannot run, saying
    /// what is missing.
    public static func choose(_ value: String?, for info: VulkanDeviceInfo) throws -> VulkanVariant {
        guard let value, !value.isEmpty else { return automatic(for: info) }
        guard let variant = VulkanVariant(rawValue: value.lowercased()) else {
            throw VulkanError.invalidArgument("MINNOW_VULKAN_VARIANT=\(value) is not a variant; use "
                + allCases.map(\.rawValue).joined(separator: ", "))
        }
        try variant.check(on: info)
        return variant
    }

    /// Whether the variant's matmul shaders reduce with subgroup arithmetic (``subgroup`` and
    /// ``integerDot``); ``portable`` and ``tiled`` need only Vulkan 1.1 compute.
    public var usesSubgroups: Bool { self == .subgroup || self == .integerDot }

    /// Throws when the device cannot run this variant, naming what it lacks.
    public func check(on info: VulkanDeviceInfo) throws {
        let lacks = Self.missing(self, on: info)
        guard lacks.isEmpty else {
            throw VulkanError.invalidArgument("the \(rawValue) Vulkan variant needs "
                + lacks.joined(separator: " and ") + ", which \(info.name) lacks")
        }
    }
}
