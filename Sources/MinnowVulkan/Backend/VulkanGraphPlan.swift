import MinnowEngine

/// Device buffers for executing one graph shape: each node's result gets a slot, and a slot
/// is reused once the last reader of its previous tensor has run (as on the CPU). Small
/// per-step inputs (token ids, cache rows, RoPE tables) and the readback buffer are host-visible.
final class VulkanGraphPlan {
    /// The slot of each node.
    let slotOfNode: [Int]
    /// One buffer per slot.
    let buffers: [VulkanBuffer]
    /// Token ids of the batch.
    let ids: VulkanBuffer
    /// Each row's sequence and position in the KV cache (``CacheRows``).
    let cacheRows: VulkanBuffer
    /// Cosines and sines per RoPE configuration of the graph, in order of first use.
    let ropeTables: [VulkanBuffer]
    /// The distinct RoPE configurations.
    let ropeConfigs: [RoPEConfig]
    /// Host-visible copy of the output, when the output slot is not mapped.
    let readback: VulkanBuffer?
    /// Recordings of this shape kept for replay, oldest first (they bind this plan's buffers).
    private(set) var recordings: [VulkanStepRecording] = []

    /// The most recordings kept per plan: one per (weights, cache) pair in use, e.g. a
    /// generator's and a speculative draft's.
    static let maxRecordings = 2

    init(graph: Graph, device: VulkanDevice) throws {
        let (slotOfNode, slotSize) = graph.bufferSlots()
        var configs: [RoPEConfig] = []
        for node in graph.nodes {
            if case .rope(_, _, let config) = node.op, !configs.contains(config) { configs.append(config) }
        }
        let limit = device.info.maxStorageBufferRange
        for size in slotSize where size * 4 > limit {
            throw VulkanError.invalidArgument(
                "an activation of \(size * 4) bytes exceeds the device's \(limit)-byte buffer limit; use a smaller batch")
        }
        self.slotOfNode = slotOfNode
        buffers = try slotSize.map { try VulkanBuffer(device: device, size: max($0, 1) * 4) }
        ids = try VulkanBuffer(device: device, size: graph.batchSize * 4, placement: .host)
        cacheRows = try VulkanBuffer(device: device, size: graph.batchSize * CacheRows.stride, placement: .host)
        ropeConfigs = configs
        ropeTables = try configs.map {
            try VulkanBuffer(device: device, size: graph.batchSize * $0.dimensions * 4, placement: .host)
        }
        let output = buffers[slotOfNode[graph.output.index]]
        readback = output.mapped == nil ? try VulkanBuffer(device: device, size: output.size, placement: .host) : nil
    }

    /// The buffer of node `index`'s result.
    func buffer(_ index: Int) -> VulkanBuffer { buffers[slotOfNode[index]] }

    /// The kept recording of `graph` with `variant` on these weights and this cache, if any.
    func recording(of graph: Graph, variant: VulkanVariant, weights: VulkanWeights,
                   cache: VulkanKVCache) -> VulkanStepRecording? {
        recordings.first { $0.matches(graph, variant: variant, weights: weights, cache: cache) }
    }

    /// Keeps `recording`, dropping the oldest beyond ``maxRecordings``.
    func keep(_ recording: VulkanStepRecording) {
        recordings.append(recording)
        if recordings.count > Self.maxRecordings { recordings.removeFirst(recordings.count - Self.maxRecordings) }
    }

    /// Drops the recordings whose weights or cache are gone, releasing the buffers they retain.
    func dropStaleRecordings() {
        recordings.removeAll { $0.isStale }
    }
}
