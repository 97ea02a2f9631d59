/// Applies the BPE merges to one word, with reusable scratch buffers.
///
/// Matches llama.cpp's `llm_tokenizer_bpe_session`: the word starts as one symbol per byte;
/// repeatedly the adjacent pair with the lowest merge rank is joined, the leftmost among equal
/// ranks, until no pair has a merge. Symbols are token ids throughout.
struct BytePairMerger {
    private var symbols: [Int32] = []
    private var next: [Int32] = []
    private var previous: [Int32] = []
    private var heap: [UInt64] = []

    /// Words of up to this many bytes use a quadratic scan, faster than a heap when short.
    private static let scanLimit = 24

    /// Appends the tokens of `word` (raw bytes) to `output`.
    mutating func encode(_ word: UnsafeRawBufferPointer, tables: borrowing TokenizerTables, into output: inout [Int32]) {
        let count = word.count
        if count == 0 { return }
        if count == 1 {
            let id = tables.byteTokens[Int(word[0])]
            if id >= 0 { output.append(id) }
            return
        }
        symbols.removeAll(keepingCapacity: true)
        for byte in word { symbols.append(tables.byteTokens[Int(byte)]) }
        if count <= Self.scanLimit {
            mergeByScanning(tables: tables)
            for id in symbols where id >= 0 { output.append(id) }
        } else {
            mergeWithHeap(tables: tables)
            var index: Int32 = 0
            while index >= 0 {
                let id = symbols[Int(index)]
                if id >= 0 { output.append(id) }
                index = next[Int(index)]
            }
        }
    }

    /// The quadratic version for short words: the rank and result of every adjacent pair are
    /// kept in arrays, so each merge costs a scan for the minimum and two new lookups.
    private mutating func mergeByScanning(tables: borrowing TokenizerTables) {
        var count = symbols.count
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * Self.scanLimit) { pairs in
            // pairs[2i]: rank of (symbols[i], symbols[i+1]) or Int32.max; pairs[2i+1]: its result.
            func update(_ index: Int) {
                if let merge = tables.merges.lookup(left: symbols[index], right: symbols[index + 1]) {
                    pairs[2 * index] = merge.rank
                    pairs[2 * index + 1] = merge.result
                } else {
                    pairs[2 * index] = Int32.max
                }
            }
            for index in 0..<(count - 1) { update(index) }
            while count > 1 {
                var best = 0
                var bestRank = pairs[0]
                for index in 1..<(count - 1) where pairs[2 * index] < bestRank {
                    bestRank = pairs[2 * index]
                    best = index
                }
                if bestRank == Int32.max { break }
                symbols[best] = pairs[2 * best + 1]
                symbols.remove(at: best + 1)
                // Close the gap in the pair arrays, then refresh the pairs next to the merge.
                var index = best + 1
                while index < count - 2 {
                    pairs[2 * index] = pairs[2 * index + 2]
                    pairs[2 * index + 1] = pairs[2 * index + 3]
                    index += 1
                }
                count -= 1
                if best > 0 { update(best - 1) }
                if best < count - 1 { update(best) }
            }
        }
    }

    @inline(__always)
    private static func heapKey(rank: Int32, left: Int) -> UInt64 {
        (UInt64(UInt32(bitPattern: rank)) << 32) | UInt64(UInt32(truncatingIfNeeded: left))
    }

    private mutating func push(_ left: Int, tables: borrowing TokenizerTables) {
        let right = Int(next[left])
        guard right >= 0, let merge = tables.merges.lookup(left: symbols[left], right: symbols[right]) else { return }
        heap.append(Self.heapKey(rank: merge.rank, left: left))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= heap[child] { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    private mutating func pop() -> UInt64 {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                if left >= heap.count { break }
                var smallest = left
                if left + 1 < heap.count && heap[left + 1] < heap[left] { smallest = left + 1 }
                if heap[parent] <= heap[smallest] { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }

    /// The heap version: a doubly linked list of symbols and a min-heap of (rank, left index).
    /// A popped entry is current when its left symbol is alive, has a right neighbour, and that
    /// pair's merge still has the popped rank (a rank names one merge).
    private mutating func mergeWithHeap(tables: borrowing TokenizerTables) {
        let count = symbols.count
        next.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
        heap.removeAll(keepingCapacity: true)
        for index in 0..<count {
            next.append(index + 1 < count ? Int32(index + 1) : -1)
            previous.append(Int32(index - 1))
        }
        for index in 0..<(count - 1) { push(index, tables: tables) }
        while !heap.isEmpty {
            let key = pop()
            let rank = Int32(bitPattern: UInt32(truncatingIfNeeded: key >> 32))
            let left = Int(UInt32(truncatingIfNeeded: key))
            let right = Int(next[left])
            // A merged-away symbol has previous == -2.
            guard previous[left] != -2, right >= 0,
                  let merge = tables.merges.lookup(left: symbols[left], right: symbols[right]),
                  merge.rank == rank else { continue }
            symbols[left] = merge.result
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = Int32(left) }
            previous[right] = -2
            next[right] = -1
            if previous[left] >= 0 { push(Int(previous[left]), tables: tables) }
            push(left, tables: tables)
        }
    }
}
