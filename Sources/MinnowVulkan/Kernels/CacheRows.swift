/// Where each row of a batch lives in a KV cache of [sequences × capacity] rows: per row, the
/// first cache row of its sequence (`sequence × capacity`) and its position, as two `UInt32`s
/// in a host-visible buffer that `kv_store` and `attention` read. Rows thus carry their own
/// sequence and position, and one dispatch serves rows of several sequences.
package enum CacheRows {
    /// Bytes per row.
    package static let stride = 8

    /// Writes the rows' entries into `buffer` (host-visible, at least `positions.count × stride`
    /// bytes).
    package static func write(positions: [Int], sequences: [Int], capacity: Int, into buffer: VulkanBuffer) throws {
        guard positions.count == sequences.count else {
            throw VulkanError.invalidArgument("\(positions.count) positions for \(sequences.count) sequence ids")
        }
        guard buffer.size >= positions.count * stride, let mapped = buffer.mapped else {
            throw VulkanError.invalidArgument("the cache-rows buffer is not mapped or too small")
        }
        let words = mapped.assumingMemoryBound(to: UInt32.self)
        for r in positions.indices {
            words[2 * r] = UInt32(sequences[r] * capacity)
            words[2 * r + 1] = UInt32(positions[r])
        }
    }

    /// A new host-visible buffer holding the rows' entries.
    package static func buffer(device: VulkanDevice, positions: [Int], sequences: [Int], capacity: Int) throws -> VulkanBuffer {
        let buffer = try VulkanBuffer(device: device, size: max(1, positions.count) * stride, placement: .host)
        try write(positions: positions, sequences: sequences, capacity: capacity, into: buffer)
        return buffer
    }
}
