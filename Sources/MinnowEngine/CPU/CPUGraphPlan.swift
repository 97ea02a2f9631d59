/// Buffers for executing one graph shape on the CPU: each node's result gets a slot, and a slot
/// is reused once the last reader of its previous tensor has run.
final class CPUGraphPlan {
    /// The slot of each node.
    let slotOfNode: [Int]
    /// The buffers, one per slot, 64-byte aligned.
    let buffers: [UnsafeMutablePointer<Float>]
    /// Bytes for the activations converted for a matmul (the largest needed).
    let scratch: UnsafeMutableRawPointer
    let scratchBytes: Int

    init(graph: Graph, scratchBytes: Int) {
        let (slotOfNode, slotSize) = graph.bufferSlots()
        self.slotOfNode = slotOfNode
        buffers = slotSize.map { size in
            let p = UnsafeMutableRawPointer.allocate(byteCount: max(size, 16) * 4, alignment: 64)
            return p.bindMemory(to: Float.self, capacity: max(size, 16))
        }
        self.scratchBytes = scratchBytes
        scratch = .allocate(byteCount: max(scratchBytes, 64), alignment: 64)
    }

    deinit {
        for b in buffers { b.deallocate() }
        scratch.deallocate()
    }

    /// The buffer of node `index`'s result.
    @inline(__always)
    func buffer(_ index: Int) -> UnsafeMutablePointer<Float> { buffers[slotOfNode[index]] }
}
