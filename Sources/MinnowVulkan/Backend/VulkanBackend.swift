import Foundation
import MinnowEngine
import MinnowGGUF

/// The Vulkan compute backend: weights and the KV cache live in device memory, and each
/// graph execution is recorded into one command buffer (barriers only between dependent
/// dispatches), submitted once, and only the output (the logits) is read back.
package final class VulkanBackend: Backend, @unchecked Sendable {
    // `kernels`, `stream`, `plans` and `scratch` are used only under `lock`.
    /// `vulkan`.
    package let name = "vulkan"
    /// The device.
    package let device: VulkanDevice
    private let kernels: VulkanKernels
    private let stream: CommandStream
    private let lock = NSLock()
    private var plans: [PlanKey: VulkanGraphPlan] = [:]
    private var scratch: VulkanBuffer?
    /// Whether steps keep their recordings for replay (``VulkanStepRecording``).
    private let reuse: Bool
    private var replays = 0

    /// `MINNOW_VULKAN_PROFILE=1`: submit after every node and print time per op kind.
    private let profiling = ProcessInfo.processInfo.environment["MINNOW_VULKAN_PROFILE"] == "1"
    /// `MINNOW_VULKAN_TIMING=1`: print each execution's phases (``VulkanStepTiming``), one
    /// submission per step as usual.
    private let timing = ProcessInfo.processInfo.environment["MINNOW_VULKAN_TIMING"] == "1"

    private struct PlanKey: Hashable {
        let batchSize: Int
        let nodeCount: Int
        let outputRows: Int
    }

    /// Opens a device (`MINNOW_VULKAN_DEVICE` overrides `.automatic`), or throws
    /// `VulkanError.unavailable` saying why there is none. The shader variant is `variant`, else
    /// `MINNOW_VULKAN_VARIANT`'s, else the device's automatic one; a variant the device cannot
    /// run, or an unknown name, throws `VulkanError.invalidArgument` saying what is missing.
    /// Steps replay kept recordings when `reuseRecordings` is true, or (nil) unless
    /// `MINNOW_VULKAN_REUSE=0`.
    package init(device choice: VulkanDeviceChoice = .automatic, variant: VulkanVariant? = nil,
                 reuseRecordings: Bool? = nil) throws {
        let environment = ProcessInfo.processInfo.environment
        let validation = environment["MINNOW_VULKAN_VALIDATION"] == "1"
        reuse = reuseRecordings ?? (environment["MINNOW_VULKAN_REUSE"] != "0")
        (device, stream, kernels) = try VulkanExitGuard.run {
            let device = try VulkanDevice(choice: choice, validation: validation)
            let chosen = try variant ?? VulkanVariant.choose(environment["MINNOW_VULKAN_VARIANT"], for: device.info)
            return (device, try CommandStream(device: device), try VulkanKernels(device: device, variant: chosen))
        }
    }

    /// Steps executed by replaying a kept recording, since the backend was opened.
    package var replayCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return replays
    }

    /// The matmul shader variant in use.
    package var variant: VulkanVariant { kernels.variant }

    /// The device, its kind, API version, subgroup size and shader variant.
    package var deviceDescription: String {
        let info = device.info
        return "\(info.name) (\(info.kind), Vulkan \(info.apiVersion), subgroup \(info.features.subgroupSize), "
            + "\(kernels.variant) shaders)"
    }

    /// Matrix ops need a kernel for their weight type; vectors are dequantized on the host.
    package func supports(_ op: OpKind, weightType: GGMLType?) -> Bool {
        switch op {
        case .matmul, .embedding:
            guard let weightType else { return false }
            return VulkanWeight.supportedTypes.contains(weightType)
        case .rmsNorm, .addBias:
            guard let weightType else { return false }
            return Dequantizer.supports(weightType)
        default:
            return true
        }
    }

    /// Uploads the weights once, after checking the memory budget.
    package func loadWeights(_ weights: WeightSet) throws -> any LoadedWeights {
        lock.lock()
        defer { lock.unlock() }
        return try VulkanExitGuard.run {
            dropStaleRecordings()
            return try VulkanWeights(weights, device: device, stream: stream)
        }
    }

    /// Allocates the cache, every sequence's, in device memory.
    package func makeKVCache(_ spec: KVCacheSpec) throws -> any KVCacheStorage {
        guard spec.sequences >= 1 else { throw BackendError.unknownSequence(0, sequences: spec.sequences) }
        lock.lock()
        defer { lock.unlock() }
        return try VulkanExitGuard.run {
            dropStaleRecordings()
            return try VulkanKVCache(spec: spec, device: device)
        }
    }

    /// Drops kept recordings of weights or caches that are gone, so that their device memory
    /// is freed before more is allocated. Under `lock`, inside `VulkanExitGuard`.
    private func dropStaleRecordings() {
        for plan in plans.values { plan.dropStaleRecordings() }
    }

    /// Runs the graph.
    package func execute(_ graph: Graph, inputs: GraphInputs, weights loaded: any LoadedWeights,
                         cache anyCache: any KVCacheStorage) throws -> [Float] {
        guard let weights = loaded as? VulkanWeights else { throw BackendError.foreignObject("the weights") }
        guard let cache = anyCache as? VulkanKVCache else { throw BackendError.foreignObject("the KV cache") }
        // Rows carry their own sequence and position (kv_store and attention read them from
        // the plan's cache-rows buffer).
        try inputs.check(rows: graph.batchSize, cache: cache.spec)
        try validate(graph, weights: weights.source)
        lock.lock()
        defer { lock.unlock() }
        return try VulkanExitGuard.run {
            try record(graph, inputs: inputs, weights: weights, cache: cache)
        }
    }

    /// Replays the graph's kept recording, or records, submits and waits for its commands
    /// (keeping the recording when it does not depend on positions), and reads its output back.
    private func record(_ graph: Graph, inputs: GraphInputs, weights: VulkanWeights,
                        cache: VulkanKVCache) throws -> [Float] {
        var clock = VulkanStepTiming(tokens: graph.batchSize)
        dropStaleRecordings()
        let plan = try plan(for: graph)
        try writeInputs(graph, inputs: inputs, weights: weights, plan: plan, capacity: cache.spec.capacity)
        clock.lap(\.inputs)
        let used: CommandStream
        if let kept = plan.recording(of: graph, variant: kernels.variant, weights: weights, cache: cache) {
            try kept.stream.replay()
            replays += 1
            clock.replayed = true
            used = kept.stream
        } else {
            let stride = VulkanStepRecording.fixedScoreStride(graph: graph, capacity: cache.spec.capacity,
                                                              limit: device.info.maxStorageBufferRange)
            let keep = reuse && !profiling && stride != nil
            used = keep ? try CommandStream(device: device) : stream
            try used.begin(reusable: keep)
            try encode(graph, inputs: inputs, weights: weights, cache: cache, plan: plan, scoreStride: stride, on: used)
            clock.lap(\.recording)
            try used.submitAndWait()
            if keep {
                plan.keep(VulkanStepRecording(stream: used, graph: graph, variant: kernels.variant, weights: weights,
                                              cache: cache))
            }
        }
        clock.lap(\.wait)
        let count = graph.shape(of: graph.output).rows * graph.shape(of: graph.output).columns
        let source = plan.readback ?? plan.buffer(graph.output.index)
        guard let mapped = source.mapped else { throw VulkanError.unavailable("the readback buffer is not mapped") }
        let logits = Array(UnsafeBufferPointer(start: mapped.assumingMemoryBound(to: Float.self), count: count))
        clock.lap(\.readback)
        if timing { writeStandardError(clock.line(dispatches: used.dispatchCount, floats: count) + "\n") }
        return logits
    }

    /// Records every node of the graph into `stream` (begun), and the output's copy to the
    /// readback buffer. `scoreStride` fixes attention's score stride (else each step's largest
    /// position + 1). With profiling, submits after every node and prints the time per op kind.
    private func encode(_ graph: Graph, inputs: GraphInputs, weights: VulkanWeights, cache: VulkanKVCache,
                        plan: VulkanGraphPlan, scoreStride: Int?, on stream: CommandStream) throws {
        var profile: [OpKind: Double] = [:]
        for (i, node) in graph.nodes.enumerated() {
            let t0 = profiling ? VulkanStepTiming.seconds() : 0
            try record(node, index: i, graph: graph, inputs: inputs, weights: weights, cache: cache, plan: plan,
                       scoreStride: scoreStride, on: stream)
            if profiling {
                // One submission per node, to time it: for diagnosis only.
                try stream.submitAndWait()
                profile[node.op.kind, default: 0] += VulkanStepTiming.seconds() - t0
                try stream.begin()
            }
        }
        if profiling {
            let lines = profile.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \(Int($0.value * 1000)) ms" }
            writeStandardError("vulkan profile (\(graph.batchSize) tokens): \(lines.joined(separator: ", "))\n")
        }
        if let readback = plan.readback {
            let shape = graph.shape(of: graph.output)
            stream.copy(from: plan.buffer(graph.output.index), to: readback, bytes: shape.rows * shape.columns * 4)
        }
    }

    private func plan(for graph: Graph) throws -> VulkanGraphPlan {
        let key = PlanKey(batchSize: graph.batchSize, nodeCount: graph.nodes.count,
                          outputRows: graph.shape(of: graph.output).rows)
        if let plan = plans[key] { return plan }
        // Every prompt length is a new shape: keep only a few plans' buffers alive.
        if plans.count >= 4 { plans.removeAll() }
        let plan = try VulkanGraphPlan(graph: graph, device: device)
        plans[key] = plan
        return plan
    }

    /// Token ids, cache rows and RoPE tables go to host-visible buffers before recording.
    private func writeInputs(_ graph: Graph, inputs: GraphInputs, weights: VulkanWeights, plan: VulkanGraphPlan,
                             capacity: Int) throws {
        for node in graph.nodes {
            if case .embedding(let table) = node.op {
                let rows = weights.source.info(table).rowCount
                if let bad = inputs.tokens.first(where: { $0 < 0 || Int($0) >= rows }) {
                    throw BackendError.invalidToken(bad)
                }
            }
        }
        guard let ids = plan.ids.mapped else { throw VulkanError.unavailable("the ids buffer is not mapped") }
        inputs.tokens.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { ids.copyMemory(from: base, byteCount: bytes.count) }
        }
        try CacheRows.write(positions: inputs.positions, sequences: inputs.sequences, capacity: capacity,
                            into: plan.cacheRows)
        for (config, buffer) in zip(plan.ropeConfigs, plan.ropeTables) {
            guard let mapped = buffer.mapped else { throw VulkanError.unavailable("the RoPE table is not mapped") }
            let table = mapped.assumingMemoryBound(to: Float.self)
            let half = config.dimensions / 2
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * half) { tmp in
                guard let cosines = tmp.baseAddress else { return }
                let sines = cosines + half
                for t in 0..<graph.batchSize {
                    config.angles(position: inputs.positions[t], cos: cosines, sin: sines)
                    for i in 0..<half {
                        table[2 * (t * half + i)] = cosines[i]
                        table[2 * (t * half + i) + 1] = sines[i]
                    }
                }
            }
        }
    }

    /// The attention score scratch, grown on demand.
    private func scratchBuffer(bytes: Int) throws -> VulkanBuffer {
        if let s = scratch, s.size >= bytes { return s }
        let limit = device.info.maxStorageBufferRange
        let s = try VulkanBuffer(device: device, size: min(limit, max(bytes, (scratch?.size ?? 0) * 2)))
        scratch = s
        return s
    }

    private func record(_ node: GraphNode, index i: Int, graph: Graph, inputs: GraphInputs, weights: VulkanWeights,
                        cache: VulkanKVCache, plan: VulkanGraphPlan, scoreStride: Int?,
                        on stream: CommandStream) throws {
        let out = plan.buffer(i)
        let shape = node.shape
        switch node.op {
        case .embedding(let table):
            try kernels.getRows(try weights.matrix(table, op: .embedding), ids: plan.ids, count: graph.batchSize,
                                output: out, on: stream)
        case .rmsNorm(let x, let w, let epsilon):
            try kernels.rmsNorm(input: plan.buffer(x.index), weight: try weights.vector(w), output: out,
                                length: shape.columns, rows: shape.rows, epsilon: epsilon, on: stream)
        case .matmul(let x, let w):
            let input = graph.shape(of: x)
            try kernels.matmul(try weights.matrix(w, op: .matmul), input: plan.buffer(x.index), inputStride: input.columns,
                               output: out, outputStride: shape.columns, columns: input.rows, on: stream)
        case .addBias(let x, let b):
            try kernels.elementwise(.add, a: plan.buffer(x.index), b: try weights.vector(b), bLength: shape.columns,
                                    output: out, count: shape.rows * shape.columns, on: stream)
        case .rope(let x, let heads, let config):
            let input = plan.buffer(x.index)
            if input !== out {
                stream.copy(from: input, to: out, bytes: shape.rows * shape.columns * 4)
            }
            guard let t = plan.ropeConfigs.firstIndex(of: config) else {
                throw VulkanError.invalidArgument("RoPE configuration missing from the plan")
            }
            try kernels.rope(out, tokens: shape.rows, heads: heads, headDim: shape.columns / heads,
                             rotatedDims: config.dimensions, neox: config.style == .neox, table: plan.ropeTables[t],
                             on: stream)
        case .attention(let q, let k, let v, let layer, let spec):
            guard cache.keys.indices.contains(layer) else {
                throw VulkanError.invalidArgument("attention on layer \(layer) of a \(cache.keys.count)-layer cache")
            }
            let f16 = cache.spec.type == .f16
            let width = cache.spec.width
            try kernels.storeKV(input: plan.buffer(k.index), cache: cache.keys[layer], rows: plan.cacheRows,
                                tokens: shape.rows, width: width, f16: f16, on: stream)
            try kernels.storeKV(input: plan.buffer(v.index), cache: cache.values[layer], rows: plan.cacheRows,
                                tokens: shape.rows, width: width, f16: f16, on: stream)
            // Scores for every (query, head) over positions up to the last row's (or the cache's
            // capacity, for a recording kept for replay); queries go in chunks small enough
            // for one scratch binding.
            let stride = scoreStride ?? (inputs.positions.max() ?? 0) + 1
            let perToken = spec.heads * stride * 4
            let limit = device.info.maxStorageBufferRange
            let chunk = max(1, min(shape.rows, limit / max(perToken, 1)))
            let scores = try scratchBuffer(bytes: chunk * perToken)
            var t0 = 0
            while t0 < shape.rows {
                let n = min(chunk, shape.rows - t0)
                try kernels.attention(query: plan.buffer(q.index), queryOffset: t0 * shape.columns,
                                      keys: cache.keys[layer], values: cache.values[layer],
                                      output: out, outputOffset: t0 * shape.columns, scratch: scores,
                                      rows: plan.cacheRows, rowOffset: t0, tokens: n, queryHeads: spec.heads,
                                      kvHeads: spec.kvHeads, headDim: spec.headSize, scoreStride: stride, scale: spec.scale, f16: f16,
                                      on: stream)
                t0 += n
            }
        case .siluMul(let g, let u):
            try kernels.elementwise(.siluMul, a: plan.buffer(g.index), b: plan.buffer(u.index), output: out,
                                    count: shape.rows * shape.columns, on: stream)
        case .add(let a, let b):
            try kernels.elementwise(.add, a: plan.buffer(a.index), b: plan.buffer(b.index), output: out,
                                    count: shape.rows * shape.columns, on: stream)
        case .softmax(let x):
            let input = plan.buffer(x.index)
            if input !== out {
                stream.copy(from: input, to: out, bytes: shape.rows * shape.columns * 4)
            }
            try kernels.softmax(out, length: shape.columns, rows: shape.rows, on: stream)
        case .lastRow(let x):
            let input = graph.shape(of: x)
            stream.copy(from: plan.buffer(x.index), sourceOffset: (input.rows - 1) * input.columns * 4, to: out,
                        bytes: input.columns * 4)
        }
    }
}
