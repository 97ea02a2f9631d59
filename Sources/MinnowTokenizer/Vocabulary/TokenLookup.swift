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

/// The first (up to) eight bytes of a key, little-endian, zero-padded.
@inline(__always)
func keyPrefix(_ base: UnsafeRawPointer, _ count: Int) -> UInt64 {
    if count >= 8 { return base.loadUnaligned(as: UInt64.self) }
    var word: UInt64 = 0
    var offset = 0
    while offset < count {
        word |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << UInt64(offset * 8)
        offset += 1
    }
    return word
}

/// An open-addressing map from a token's decoded bytes to its id.
///
/// Each 16-byte slot holds the key's first eight bytes, its length, 24 bits of its hash and the
/// id, so a lookup of a key of up to eight bytes (most tokens) touches one slot and nothing else.
/// Longer keys are compared with the tables' decoded-bytes arena, found through its offsets.
struct TokenLookup: Sendable {
    private struct Slot {
        /// The first eight key bytes.
        var prefix: UInt64
        /// `length << 56 | tag << 32 | (id + 1)`; zero when empty.
        var meta: UInt64
    }

    private var slots: [Slot]
    private let mask: Int

    /// An empty map sized for about `capacity` keys.
    init(capacity: Int) {
        var size = 16
        while size * 2 < capacity * 3 { size <<= 1 }
        mask = size - 1
        slots = [Slot](repeating: Slot(prefix: 0, meta: 0), count: size)
    }

    /// The part of `meta` that must match: length (saturated at 255) and hash tag.
    @inline(__always)
    private static func signature(hash: UInt64, count: Int) -> UInt64 {
        (UInt64(min(count, 255)) << 56) | (((hash >> 40) & 0xFF_FFFF) << 32)
    }

    @inline(__always)
    private static func equalTail(
        _ id: Int, _ key: UnsafeRawPointer, _ count: Int, arena: UnsafeRawPointer, offsets: UnsafeBufferPointer<Int32>
    ) -> Bool {
        let start = Int(offsets[id])
        guard Int(offsets[id + 1]) - start == count else { return false }
        return memcmp(arena + start + 8, key + 8, count - 8) == 0
    }

    /// Maps the decoded bytes of token `id` (in `arena`, by `offsets`) to `id`; an equal key
    /// already present takes the new id (the last wins, as in llama.cpp's `token_to_id`).
    mutating func insert(id: Int, arena: UnsafeRawPointer, offsets: UnsafeBufferPointer<Int32>) {
        let start = Int(offsets[id])
        let count = Int(offsets[id + 1]) - start
        let key = arena + start
        let hash = hashBytes(key, count)
        let signature = Self.signature(hash: hash, count: count)
        let prefix = keyPrefix(key, count)
        let entry = Slot(prefix: prefix, meta: signature | UInt64(id + 1))
        let mask = self.mask
        slots.withUnsafeMutableBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot].meta != 0 {
                let stored = slots[slot]
                if stored.meta & 0xFFFF_FFFF_0000_0000 == signature, stored.prefix == prefix,
                   count <= 8 || Self.equalTail(
                       Int(stored.meta & 0xFFFF_FFFF) - 1, key, count, arena: arena, offsets: offsets) {
                    slots[slot] = entry
                    return
                }
                slot = (slot + 1) & mask
            }
            slots[slot] = entry
        }
    }

    /// The id of the token whose decoded bytes are the `count` bytes at `key`, or -1.
    @inline(__always)
    func lookup(
        _ key: UnsafeRawPointer, _ count: Int, arena: UnsafeRawPointer, offsets: UnsafeBufferPointer<Int32>
    ) -> Int32 {
        let hash = hashBytes(key, count)
        let signature = Self.signature(hash: hash, count: count)
        let prefix = keyPrefix(key, count)
        let mask = self.mask
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let stored = slots[slot]
                if stored.meta == 0 { return -1 }
                if stored.meta & 0xFFFF_FFFF_0000_0000 == signature, stored.prefix == prefix {
                    let id = Int(stored.meta & 0xFFFF_FFFF) - 1
                    if count <= 8 || Self.equalTail(id, key, count, arena: arena, offsets: offsets) {
                        return Int32(id)
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }
}
