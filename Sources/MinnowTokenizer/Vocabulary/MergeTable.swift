/// The BPE merge ranks, keyed by the pair of token ids they join.
///
/// A merge `"a b"` of rank r is stored under the key `(id(a) << 32) | id(b)` with its rank and
/// the id of the merged token `ab`, key and value side by side so that a probe reads one
/// cache line. Open addressing over a flat array; no allocation per merge.
struct MergeTable: Sendable {
    /// A merge found for a pair.
    struct Entry {
        /// The merge's priority: lower merges first.
        var rank: Int32
        /// The id of the joined token.
        var result: Int32
    }

    private struct Slot {
        var key: UInt64
        var rank: Int32
        var result: Int32
    }

    private var slots: [Slot]
    private let mask: Int
    private static let empty = UInt64.max

    /// An empty table sized for about `capacity` merges.
    init(capacity: Int) {
        var size = 16
        while size * 2 < capacity * 3 { size <<= 1 }
        mask = size - 1
        slots = [Slot](repeating: Slot(key: Self.empty, rank: 0, result: 0), count: size)
    }

    @inline(__always)
    private static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        (UInt64(UInt32(bitPattern: left)) << 32) | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        var mixed = key &* 0x9E37_79B9_7F4A_7C15
        mixed ^= mixed >> 29
        return Int(truncatingIfNeeded: mixed) & mask
    }

    /// Adds a merge unless the pair already has one (the first, best-ranked merge wins, as
    /// llama.cpp's `bpe_ranks.emplace` keeps the first).
    mutating func insert(left: Int32, right: Int32, rank: Int32, result: Int32) {
        let key = Self.key(left, right)
        var index = slot(for: key)
        let mask = self.mask
        slots.withUnsafeMutableBufferPointer { slots in
            while slots[index].key != Self.empty {
                if slots[index].key == key { return }
                index = (index + 1) & mask
            }
            slots[index] = Slot(key: key, rank: rank, result: result)
        }
    }

    /// The merge joining `left` and `right`, if any.
    @inline(__always)
    func lookup(left: Int32, right: Int32) -> Entry? {
        let key = Self.key(left, right)
        var index = slot(for: key)
        let mask = self.mask
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let stored = slots[index]
                // Test for an empty slot first: the pair (-1, -1) of two bytes without a token
                // has the key of an empty slot.
                if stored.key == Self.empty { return nil }
                if stored.key == key { return Entry(rank: stored.rank, result: stored.result) }
                index = (index + 1) & mask
            }
        }
    }
}
