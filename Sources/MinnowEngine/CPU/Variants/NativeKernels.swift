import MinnowCPUKernels
import MinnowGGUF

extension CPUMatrixKernel {
    /// The C kernel of `variant` for weights of `type` (with its repacked layout where it has
    /// one), or nil when the variant has none for the type or is not compiled for this machine.
    package static func native(_ variant: CPUKernelVariant, _ type: GGMLType) -> CPUMatrixKernel? {
        guard let id = variant.cVariant, let plain = minnow_dot_kernel(id, Int32(type.rawValue)) else { return nil }
        var repacking: CPUWeightRepacking?
        if let repacked = minnow_repacked_dot_kernel(id, Int32(type.rawValue)) {
            let typeID = Int32(type.rawValue)
            repacking = CPUWeightRepacking(
                rowGroup: 8,
                rowBytes: { count in Int(minnow_repacked_row_bytes(typeID, Int64(count))) },
                repack: { source, stride, rows, count, destination in
                    minnow_repack(typeID, source, Int64(stride), Int64(rows), Int64(count), destination) == 0
                },
                dotRows: call(repacked))
        }
        let activation = QuantKernels.activationType(for: type)
        var quantize = activationQuantizer(for: type)
        if let native = minnow_activation_quantizer(id, Int32(activation.rawValue)) {
            quantize = { x, count, out in native(x, Int64(count), out) }
        }
        return CPUMatrixKernel(activationType: activation, quantize: quantize,
                               dotRows: call(plain), variant: variant, repacking: repacking)
    }

    /// A Swift closure around a C kernel.
    private static func call(_ kernel: minnow_dot_fn) -> DotRows {
        { weights, stride, rows, activations, aStride, aRows, count, out, outStride in
            var problem = minnow_dot_problem(
                weights: weights, row_stride: Int64(stride), rows: Int64(rows), activations: activations,
                activation_stride: Int64(aStride), activation_rows: Int64(aRows), count: Int64(count),
                out: out, output_stride: Int64(outStride))
            kernel(&problem)
        }
    }
}
