extension Graph {
    /// Buffer slots for executing this graph: each node's result gets a slot, and a slot is reused
    /// once the last reader of its previous tensor has run, so a node never writes over its inputs.
    /// Backends allocate one buffer per slot, of `slotSizes[slot]` elements.
    package func bufferSlots() -> (slotOfNode: [Int], slotSizes: [Int]) {
        let lastUse = lastUses()
        var slotOfNode = [Int](repeating: -1, count: nodes.count)
        var slotSizes: [Int] = []
        var freeSlots: [Int] = []
        // Slots whose tensor dies after node i.
        var releases = [[Int]](repeating: [], count: nodes.count + 1)
        for (i, node) in nodes.enumerated() {
            let size = node.shape.rows * node.shape.columns
            let slot: Int
            if let free = freeSlots.popLast() {
                slot = free
                slotSizes[slot] = max(slotSizes[slot], size)
            } else {
                slot = slotSizes.count
                slotSizes.append(size)
            }
            slotOfNode[i] = slot
            releases[min(lastUse[i], nodes.count)].append(slot)
            freeSlots.append(contentsOf: releases[i])
        }
        return (slotOfNode, slotSizes)
    }
}
