/// The element type of the KV cache.
public enum KVCacheType: String, Sendable, CaseIterable {
    /// Half precision: the default, as llama.cpp's.
    case f16
    /// Single precision.
    case f32

    /// Bytes per element.
    public var bytes: Int { self == .f16 ? 2 : 4 }
}

/// The layout of a KV cache.
public struct KVCacheSpec: Sendable, Equatable {
    /// Number of layers.
    public var layers: Int
    /// Values per position and layer for keys (and for values): kvHeads × headSize.
    public var width: Int
    /// Number of positions it holds, per sequence.
    public var capacity: Int
    /// Element type.
    public var type: KVCacheType
    /// Number of independent sequences it holds, each with `capacity` positions.
    public var sequences: Int

    /// Creates a layout.
    public init(layers: Int, width: Int, capacity: Int, type: KVCacheType, sequences: Int = 1) {
        self.layers = layers
        self.width = width
        self.capacity = capacity
        self.type = type
        self.sequences = sequences
    }

    /// Total bytes of keys and values.
    public var byteCount: Int { 2 * layers * sequences * width * capacity * type.bytes }
}
