import Foundation

/// A fast, non-cryptographic hash of a short byte string (token texts are a few bytes long).
/// Reads eight bytes at a time and mixes with multiplications; no allocation.
@inline(__always)
func hashBytes(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
    var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
    var offset = 0
    while count - offset >= 8 {
        let word = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 29
        offset += 8
    }
    if offset < count {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
    }
    hash ^= hash >> 31
    hash = hash &* 0xBF58_476D_1CE4_E5B9
    return hash ^ (hash >> 32)
}

/// An open-addressing map from byte strings to token ids. The keys live in one byte arena,
/// so building it for 152k tokens makes no per-token allocation.
struct ByteStringTable: Sendable {
    /// The concatenated keys.
    private(set) var arena: [UInt8] = []
    /// For each slot: the token id, or -1 when empty.
    private var slotIDs: [Int32]
    /// For each slot: the key's offset and length in `arena`.
    private var slotOffsets: [Int32]
    private var slotLengths: [Int32]
    private let mask: Int

    /// An empty table sized for about `capacity` keys totalling about `arenaBytes` bytes.
    init(capacity: Int, arenaBytes: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        mask = size - 1
        slotIDs = [Int32](repeating: -1, count: size)
        slotOffsets = [Int32](repeating: 0, count: size)
        slotLengths = [Int32](repeating: 0, count: size)
        arena.reserveCapacity(arenaBytes)
    }

    /// Inserts `key → id`, replacing the id of an equal key (the last insertion wins, as in
    /// llama.cpp's `token_to_id`).
    mutating func insert(_ key: UnsafeRawBufferPointer, id: Int32) {
        guard let base = key.baseAddress ?? UnsafeRawPointer(bitPattern: 1) else { return }
        var slot = Int(truncatingIfNeeded: hashBytes(base, key.count)) & mask
        while slotIDs[slot] >= 0 {
            if equals(slot: slot, base, key.count) {
                slotIDs[slot] = id
                return
            }
            slot = (slot + 1) & mask
        }
        slotIDs[slot] = id
        slotOffsets[slot] = Int32(arena.count)
        slotLengths[slot] = Int32(key.count)
        arena.append(contentsOf: key)
    }

    /// The id stored for the `count` bytes at `base`, or -1.
    @inline(__always)
    func lookup(_ base: UnsafeRawPointer, _ count: Int) -> Int32 {
        var slot = Int(truncatingIfNeeded: hashBytes(base, count)) & mask
        while true {
            let id = slotIDs[slot]
            if id < 0 { return -1 }
            if equals(slot: slot, base, count) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// The id stored for `key`, or -1.
    func lookup(_ key: UnsafeRawBufferPointer) -> Int32 {
        guard let base = key.baseAddress else { return key.isEmpty ? lookupEmpty() : -1 }
        return lookup(base, key.count)
    }

    private func lookupEmpty() -> Int32 {
        var byte: UInt8 = 0
        return withUnsafeBytes(of: &byte) { lookup($0.baseAddress!, 0) }
    }

    @inline(__always)
    private func equals(slot: Int, _ base: UnsafeRawPointer, _ count: Int) -> Bool {
        guard Int(slotLengths[slot]) == count else { return false }
        let offset = Int(slotOffsets[slot])
        return arena.withUnsafeBytes { stored in
            guard let storedBase = stored.baseAddress else { return count == 0 }
            return memcmp(storedBase + offset, base, count) == 0
        }
    }
}
