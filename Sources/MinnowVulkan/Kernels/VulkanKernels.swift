import MinnowGGUF

/// Records the backend's ops into a `CommandStream`: one method per shader family, with the
/// variant and its specialization (workgroup size, rows per workgroup) chosen for the device.
///
/// Offsets and strides are in elements (floats, or token ids). Pipelines are built on first
/// use and cached.
package final class VulkanKernels {
    /// The device the kernels run on.
    package let device: VulkanDevice
    /// Invocations per workgroup: a power of two, at least the subgroup size and 64.
    package let workgroupSize: Int
    /// Weight rows per matmul workgroup.
    package var matmulRows: Int
    /// Token columns per matmul workgroup in the matrix-matrix variant.
    package var matmulColumns: Int
    /// Whether matmul reduces with subgroupAdd (the device supports subgroup arithmetic in
    /// compute shaders) rather than a shared-memory tree.
    package var subgroupReduce: Bool
    /// Invocations per matmul workgroup: one subgroup when reducing with subgroups.
    package var matmulWorkgroupSize: Int
    /// Whether matmul gives each invocation a whole row (`matmul_row_*`): on CPU-type devices
    /// (lavapipe), where invocations are SIMD lanes and the activations' addresses are then the
    /// same in every lane; the GPU variants split a row's chunks over a workgroup instead.
    package var rowPerInvocation: Bool
    /// The fewest token columns for which the ``VulkanVariant/tiled`` variant uses its tiled
    /// matrix-matrix shader (`matmul_tiled_*`); narrower products use the portable shaders.
    /// 8 is the portable shader's column tile: an untuned threshold (the tests set 1).
    package var tiledMinColumns = 8
    /// The matmul shader family (see ``VulkanVariant``).
    package private(set) var variant: VulkanVariant
    private var pipelines: [String: ComputePipeline] = [:]
    /// The `.integerDot` variant's quantized activations (grown on demand; a replaced buffer
    /// stays alive while a recorded stream retains it).
    private var q8Blocks: VulkanBuffer?

    private static let maxGroups = 65535

    /// Types with a `matmul_dot_*` shader; others use `matmul_sg_*` in the `.integerDot` variant.
    package static let integerDotTypes: Set<GGMLType> = [.q8_0, .q4_0, .q4_1, .q5_0, .q4_K, .q5_K, .q6_K]

    /// Prepares kernels for `device` with the device's automatic variant.
    package convenience init(device: VulkanDevice) {
        try! self.init(device: device, variant: VulkanVariant.automatic(for: device.info))
    }

    /// Prepares kernels for `device` with `variant`, or throws when the device cannot run it.
    package init(device: VulkanDevice, variant: VulkanVariant) throws {
        try variant.check(on: device.info)
        self.device = device
        self.variant = variant
        var wg = 64
        while wg < device.info.features.subgroupSize { wg *= 2 }
        self.workgroupSize = min(wg, max(1, device.info.maxWorkgroupSize))
        let features = device.info.features
        self.subgroupReduce = variant.usesSubgroups
        self.matmulWorkgroupSize = subgroupReduce ? max(1, features.subgroupSize) : workgroupSize
        self.matmulRows = 2
        self.matmulColumns = 8
        self.rowPerInvocation = !variant.usesSubgroups && device.info.kind == .cpu
    }

    /// Switches to `variant` (the tests run every variant on one device).
    package func use(_ variant: VulkanVariant) throws {
        try variant.check(on: device.info)
        self.variant = variant
        subgroupReduce = variant.usesSubgroups
        matmulWorkgroupSize = subgroupReduce ? max(1, device.info.features.subgroupSize) : workgroupSize
        rowPerInvocation = !variant.usesSubgroups && device.info.kind == .cpu
    }

    private func pipeline(_ shader: String, bindings: Int, push: Int, specialization: [UInt32]) throws -> ComputePipeline {
        let key = shader + specialization.map { "/\($0)" }.joined()
        if let p = pipelines[key] { return p }
        let p = try ComputePipeline(device: device, shader: shader, bindings: bindings, pushConstantSize: push * 4,
                                    specialization: specialization)
        pipelines[key] = p
        return p
    }

    private static func shaderSuffix(_ type: GGMLType) throws -> String {
        guard VulkanWeight.supportedTypes.contains(type) else { throw VulkanError.unsupportedType(type.name) }
        return type.name.lowercased()
    }

    private static func groups(_ n: Int, per: Int) -> Int { max(1, min(maxGroups, (n + per - 1) / per)) }

    /// Y[n][row] = Σ_k W[row][k]·X[n][k] for `columns` token columns. Matrix-vector when
    /// `columns` is 1, tiled matrix-matrix otherwise.
    package func matmul(_ weight: VulkanWeight, input: VulkanBuffer, inputOffset: Int = 0, inputStride: Int? = nil,
                        output: VulkanBuffer, outputOffset: Int = 0, outputStride: Int? = nil, columns: Int = 1,
                        on stream: CommandStream) throws {
        let cols = columns == 1 ? 1 : matmulColumns
        let xStride = inputStride ?? weight.columns
        if variant == .integerDot && Self.integerDotTypes.contains(weight.type) {
            try integerDotMatmul(weight, input: input, inputOffset: inputOffset, inputStride: xStride, output: output,
                                 outputOffset: outputOffset, outputStride: outputStride ?? weight.rows,
                                 columns: columns, tile: cols, on: stream)
            return
        }
        let yStride = outputStride ?? weight.rows
        if variant == .tiled && columns >= tiledMinColumns {
            // The `.tiled` variant's prompt product: a workgroup per tile of tiledRows × tiledColumns.
            let p = try pipeline("matmul_tiled_" + (try Self.shaderSuffix(weight.type)), bindings: 3, push: 8,
                                 specialization: [])
            try dispatchParts(p, weight, input: input, inputOffset: inputOffset, inputStride: xStride, output: output,
                              outputOffset: outputOffset, outputStride: yStride, columns: columns,
                              tile: (Self.tiledRows, Self.tiledColumns), on: stream)
            return
        }
        // The row variant reads X as vec4s.
        let byRow = rowPerInvocation && inputOffset % 4 == 0 && xStride % 4 == 0
        let prefix = byRow ? "matmul_row_" : subgroupReduce ? "matmul_sg_" : "matmul_"
        let wg = byRow ? workgroupSize : subgroupReduce ? matmulWorkgroupSize : workgroupSize
        let rowsPerGroup = byRow ? workgroupSize : matmulRows
        let p = try pipeline(prefix + (try Self.shaderSuffix(weight.type)), bindings: 3, push: 8,
                             specialization: [UInt32(wg), UInt32(matmulRows), UInt32(cols)])
        try dispatchParts(p, weight, input: input, inputOffset: inputOffset, inputStride: xStride, output: output,
                          outputOffset: outputOffset, outputStride: yStride, columns: columns,
                          tile: (rowsPerGroup, cols), on: stream)
    }

    /// One dispatch of a matmul pipeline (push constants as in matmul.comp) per weight part,
    /// with a workgroup per `tile` of rows × token columns.
    private func dispatchParts(_ p: ComputePipeline, _ weight: VulkanWeight, input: VulkanBuffer, inputOffset: Int,
                               inputStride: Int, output: VulkanBuffer, outputOffset: Int, outputStride: Int,
                               columns: Int, tile: (rows: Int, columns: Int), on stream: CommandStream) throws {
        for part in weight.parts {
            let push: [UInt32] = [
                UInt32(weight.columns), UInt32(part.rowCount), UInt32(columns), UInt32(weight.rowBytes),
                UInt32(inputOffset), UInt32(inputStride), UInt32(outputOffset + part.firstRow), UInt32(outputStride),
            ]
            try stream.dispatch(p, buffers: [part.buffer, input, output], push: push,
                                groups: (Self.groups(part.rowCount, per: tile.rows),
                                         Self.groups(columns, per: tile.columns), 1))
        }
    }

    /// The `.integerDot` matmul: quantize the `columns` activation columns to Q8_1 blocks, then
    /// one `matmul_dot_*` dispatch per weight part.
    private func integerDotMatmul(_ weight: VulkanWeight, input: VulkanBuffer, inputOffset: Int, inputStride: Int,
                                  output: VulkanBuffer, outputOffset: Int, outputStride: Int, columns: Int, tile: Int,
                                  on stream: CommandStream) throws {
        let blocks = weight.columns / 32
        let bytes = columns * blocks * 40
        if (q8Blocks?.size ?? 0) < bytes { q8Blocks = try VulkanBuffer(device: device, size: bytes) }
        guard let q8 = q8Blocks else { return }
        let quantize = try pipeline("quantize_q8_1", bindings: 2, push: 4, specialization: [])
        try stream.dispatch(quantize, buffers: [input, q8],
                            push: [UInt32(weight.columns), UInt32(columns), UInt32(inputOffset), UInt32(inputStride)],
                            groups: (Self.groups(columns * blocks, per: 64), 1, 1))
        let p = try pipeline("matmul_dot_" + (try Self.shaderSuffix(weight.type)), bindings: 3, push: 8,
                             specialization: [UInt32(matmulWorkgroupSize), UInt32(matmulRows), UInt32(tile)])
        // X is now q8 blocks: offset 0, `blocks` blocks per column.
        try dispatchParts(p, weight, input: q8, inputOffset: 0, inputStride: blocks, output: output,
                          outputOffset: outputOffset, outputStride: outputStride, columns: columns,
                          tile: (matmulRows, tile), on: stream)
    }

    /// Weight rows per `matmul_tiled_*` workgroup (TM in matmul_tiled.comp).
    private static let tiledRows = 32
    /// Token columns per `matmul_tiled_*` workgroup (TN in matmul_tiled.comp).
    private static let tiledColumns = 16

    /// Y[t] = dequantize(W[ids[t]]) for `count` tokens: the embedding lookup. Ids must be
    /// valid rows (the caller checks them); a split table runs once per part.
    package func getRows(_ weight: VulkanWeight, ids: VulkanBuffer, idOffset: Int = 0, count: Int,
                         output: VulkanBuffer, outputOffset: Int = 0, on stream: CommandStream) throws {
        let p = try pipeline("get_rows_" + Self.shaderSuffix(weight.type), bindings: 3, push: 7,
                             specialization: [UInt32(workgroupSize)])
        for part in weight.parts {
            let push: [UInt32] = [UInt32(weight.columns), UInt32(part.rowCount), UInt32(count), UInt32(weight.rowBytes),
                                  UInt32(idOffset), UInt32(outputOffset), UInt32(part.firstRow)]
            try stream.dispatch(p, buffers: [part.buffer, ids, output], push: push, groups: (Self.groups(count, per: 1), 1, 1))
        }
    }

    /// RMSNorm of `rows` rows of `length` values, scaled by `weight` (F32, `length` values).
    package func rmsNorm(input: VulkanBuffer, inputOffset: Int = 0, weight: VulkanBuffer, output: VulkanBuffer,
                         outputOffset: Int = 0, length: Int, rows: Int, epsilon: Float, on stream: CommandStream) throws {
        let p = try pipeline("rms_norm", bindings: 3, push: 5, specialization: [UInt32(workgroupSize)])
        let push: [UInt32] = [UInt32(length), UInt32(rows), UInt32(inputOffset), UInt32(outputOffset), epsilon.bitPattern]
        try stream.dispatch(p, buffers: [input, weight, output], push: push, groups: (Self.groups(rows, per: 1), 1, 1))
    }

    /// Rotary embedding in place on [tokens][heads][headDim]. `table` holds, per token and
    /// rotated pair, the cosine and sine of its angle ([tokens][rotatedDims/2][2] floats).
    package func rope(_ data: VulkanBuffer, offset: Int = 0, tokens: Int, heads: Int, headDim: Int, rotatedDims: Int? = nil,
                      neox: Bool, table: VulkanBuffer, on stream: CommandStream) throws {
        let p = try pipeline("rope", bindings: 2, push: 6, specialization: [])
        let rot = rotatedDims ?? headDim
        let push: [UInt32] = [UInt32(tokens), UInt32(heads), UInt32(headDim), UInt32(rot), neox ? 1 : 0, UInt32(offset)]
        try stream.dispatch(p, buffers: [data, table], push: push,
                            groups: (Self.groups(tokens * heads * rot / 2, per: 64), 1, 1))
    }

    /// Writes `tokens` rows of `width` floats into a KV cache of [sequences × capacity] rows.
    /// `rows` holds, per token (from entry `rowOffset`), two `UInt32`s: the first cache row of
    /// its sequence and its position (see ``CacheRows``).
    package func storeKV(input: VulkanBuffer, inputOffset: Int = 0, cache: VulkanBuffer, rows: VulkanBuffer,
                         rowOffset: Int = 0, tokens: Int, width: Int, f16: Bool, on stream: CommandStream) throws {
        let p = try pipeline(f16 ? "kv_store_f16" : "kv_store_f32", bindings: 3, push: 4, specialization: [])
        let push: [UInt32] = [UInt32(tokens), UInt32(width), UInt32(rowOffset), UInt32(inputOffset)]
        let n = f16 ? tokens * width / 2 : tokens * width
        try stream.dispatch(p, buffers: [input, cache, rows], push: push, groups: (Self.groups(n, per: 64), 1, 1))
    }

    /// Causal grouped-query attention of `tokens` queries over the caches: query t has the
    /// sequence and position of entry `rowOffset + t` of `rows` (see ``storeKV``) and attends
    /// to its sequence's positions up to its own. `scratch` holds tokens × queryHeads ×
    /// scoreStride floats, where scoreStride exceeds every query's position.
    package func attention(query: VulkanBuffer, queryOffset: Int = 0, keys: VulkanBuffer, values: VulkanBuffer,
                           output: VulkanBuffer, outputOffset: Int = 0, scratch: VulkanBuffer, rows: VulkanBuffer,
                           rowOffset: Int = 0, tokens: Int, queryHeads: Int, kvHeads: Int, headDim: Int, scoreStride: Int,
                           scale: Float, f16: Bool, on stream: CommandStream) throws {
        guard headDim <= 256, kvHeads > 0, queryHeads % kvHeads == 0 else {
            throw VulkanError.invalidArgument("attention with headDim \(headDim), \(queryHeads) query and \(kvHeads) kv heads")
        }
        guard scratch.size >= tokens * queryHeads * scoreStride * 4 else {
            throw VulkanError.invalidArgument("attention scratch of \(scratch.size) bytes is too small")
        }
        let p = try pipeline(f16 ? "attention_f16" : "attention_f32", bindings: 6, push: 9,
                             specialization: [UInt32(workgroupSize)])
        let push: [UInt32] = [UInt32(tokens), UInt32(queryHeads), UInt32(kvHeads), UInt32(headDim), UInt32(rowOffset),
                              UInt32(scoreStride), UInt32(queryOffset), UInt32(outputOffset), scale.bitPattern]
        try stream.dispatch(p, buffers: [query, keys, values, output, scratch, rows], push: push,
                            groups: (Self.groups(tokens * queryHeads, per: 1), 1, 1))
    }

    /// The element-wise ops.
    package enum ElementwiseOp: String, Sendable {
        /// a + b
        case add
        /// silu(a) · b
        case siluMul = "silu_mul"
        /// a · b
        case mul
    }

    /// Y[i] = op(A[i], B[i % bLength]) for `count` elements.
    package func elementwise(_ op: ElementwiseOp, a: VulkanBuffer, aOffset: Int = 0, b: VulkanBuffer, bOffset: Int = 0,
                             bLength: Int? = nil, output: VulkanBuffer, outputOffset: Int = 0, count: Int,
                             on stream: CommandStream) throws {
        let p = try pipeline(op.rawValue, bindings: 3, push: 5, specialization: [])
        let push: [UInt32] = [UInt32(count), UInt32(bLength ?? count), UInt32(aOffset), UInt32(bOffset), UInt32(outputOffset)]
        try stream.dispatch(p, buffers: [a, b, output], push: push, groups: (Self.groups(count, per: 64), 1, 1))
    }

    /// Softmax of `rows` rows of `length` values, in place.
    package func softmax(_ data: VulkanBuffer, offset: Int = 0, length: Int, rows: Int, on stream: CommandStream) throws {
        let p = try pipeline("softmax", bindings: 1, push: 3, specialization: [UInt32(workgroupSize)])
        try stream.dispatch(p, buffers: [data], push: [UInt32(length), UInt32(rows), UInt32(offset)],
                            groups: (Self.groups(rows, per: 1), 1, 1))
    }
}
