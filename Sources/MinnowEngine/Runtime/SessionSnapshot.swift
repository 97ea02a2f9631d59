/// One sequence's cached tokens with their keys and values, copied out of a KV cache so that
/// they can be saved and put back later (a prompt cache on disk).
///
/// ``bytes`` holds, for each layer in order, the keys of positions `0..<tokens.count` then
/// their values, each position `width` elements of `type`, little-endian as in memory.
package struct SessionSnapshot: Sendable, Equatable {
    /// The tokens, in order.
    package var tokens: [Int32]
    /// Number of layers.
    package var layers: Int
    /// Elements per position and layer, for keys and for values.
    package var width: Int
    /// Element type.
    package var type: KVCacheType
    /// The keys and values.
    package var bytes: [UInt8]

    /// A snapshot from its parts.
    package init(tokens: [Int32], layers: Int, width: Int, type: KVCacheType, bytes: [UInt8]) {
        self.tokens = tokens
        self.layers = layers
        self.width = width
        self.type = type
        self.bytes = bytes
    }

    /// The number of key and value bytes `count` positions take.
    package static func byteCount(layers: Int, width: Int, type: KVCacheType, count: Int) -> Int {
        2 * layers * count * width * type.bytes
    }
}

/// Why a snapshot cannot be taken or put back.
package enum SnapshotError: Error, Equatable, CustomStringConvertible {
    /// The backend's cache cannot be copied out or in.
    case unsupported(backend: String)
    /// The snapshot's layout differs from the cache's.
    case layoutMismatch(String)
    /// The snapshot holds more tokens than the cache.
    case tooLong(tokens: Int, capacity: Int)

    package var description: String {
        switch self {
        case .unsupported(let backend): "the \(backend) backend cannot save or restore its KV cache"
        case .layoutMismatch(let why): "the saved cache does not fit this model's cache: \(why)"
        case .tooLong(let tokens, let capacity): "the saved cache holds \(tokens) tokens, the context only \(capacity)"
        }
    }
}

/// A KV cache whose contents can be copied out and in, position range by position range.
package protocol KVCacheSnapshotting: KVCacheStorage {
    /// The keys and values of positions `0..<count` of `sequence`, laid out as
    /// ``SessionSnapshot/bytes``.
    func copyOut(sequence: Int, count: Int) -> [UInt8]
    /// Writes positions `0..<count` of `sequence` from `bytes`, laid out as
    /// ``SessionSnapshot/bytes`` (the caller checked the size).
    func copyIn(sequence: Int, count: Int, from bytes: [UInt8])
}

extension CPUKVCache: KVCacheSnapshotting {
    package func copyOut(sequence: Int, count: Int) -> [UInt8] {
        let block = count * spec.width * spec.type.bytes
        var out = [UInt8](repeating: 0, count: 2 * spec.layers * block)
        out.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for layer in 0..<spec.layers {
                let start = offset(layer: layer, sequence: sequence, position: 0)
                (base + 2 * layer * block).copyMemory(from: keys + start, byteCount: block)
                (base + (2 * layer + 1) * block).copyMemory(from: values + start, byteCount: block)
            }
        }
        return out
    }

    package func copyIn(sequence: Int, count: Int, from bytes: [UInt8]) {
        let block = count * spec.width * spec.type.bytes
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            for layer in 0..<spec.layers {
                let start = offset(layer: layer, sequence: sequence, position: 0)
                (keys + start).copyMemory(from: base + 2 * layer * block, byteCount: block)
                (values + start).copyMemory(from: base + (2 * layer + 1) * block, byteCount: block)
            }
        }
    }
}
