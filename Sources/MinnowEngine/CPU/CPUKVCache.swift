/// The CPU backend's KV cache: per layer and sequence, keys and values of every position,
/// row-major (position, then kvHead × headSize), in F16 or F32.
package final class CPUKVCache: KVCacheStorage, @unchecked Sendable {
    /// Its layout.
    package let spec: KVCacheSpec
    /// Keys of all layers.
    package let keys: UnsafeMutableRawPointer
    /// Values of all layers.
    package let values: UnsafeMutableRawPointer

    /// Allocates a zeroed cache.
    package init(spec: KVCacheSpec) {
        self.spec = spec
        let bytes = spec.byteCount / 2
        keys = .allocate(byteCount: max(bytes, 1), alignment: 64)
        values = .allocate(byteCount: max(bytes, 1), alignment: 64)
        keys.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
        values.initializeMemory(as: UInt8.self, repeating: 0, count: max(bytes, 1))
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    /// Byte offset of (layer, sequence, position).
    @inline(__always)
    func offset(layer: Int, sequence: Int, position: Int) -> Int {
        ((layer * spec.sequences + sequence) * spec.capacity + position) * spec.width * spec.type.bytes
    }

    /// Writes `width` floats at (layer, sequence, position) of `base`.
    @inline(__always)
    package func store(_ row: UnsafePointer<Float>, into base: UnsafeMutableRawPointer, layer: Int, sequence: Int, position: Int) {
        let p = base + offset(layer: layer, sequence: sequence, position: position)
        switch spec.type {
        case .f32:
            p.copyMemory(from: row, byteCount: spec.width * 4)
        case .f16:
            let h = p.assumingMemoryBound(to: UInt16.self)
            for i in 0..<spec.width { h[i] = Half.fromFloat(row[i]) }
        }
    }

    /// Reads `count` floats starting at element `start` of (layer, sequence, position) of `base`.
    @inline(__always)
    func load(from base: UnsafeMutableRawPointer, layer: Int, sequence: Int, position: Int, start: Int, count: Int,
              into out: UnsafeMutablePointer<Float>) {
        let p = base + offset(layer: layer, sequence: sequence, position: position)
        switch spec.type {
        case .f32:
            out.update(from: (p.assumingMemoryBound(to: Float.self) + start), count: count)
        case .f16:
            let h = p.assumingMemoryBound(to: UInt16.self) + start
            for i in 0..<count { out[i] = Half.toFloat(h[i]) }
        }
    }
}
