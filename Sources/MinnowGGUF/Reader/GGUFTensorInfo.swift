/// The description of one tensor in a GGUF file.
public struct GGUFTensorInfo: Sendable, Hashable {
    /// The tensor's name, such as `blk.0.attn_q.weight`.
    public let name: String
    /// The element type.
    public let type: GGMLType
    /// The dimensions, innermost first as in ggml: `shape[0]` is the row length.
    public let shape: [Int]
    /// The absolute byte offset of the tensor's data in the file.
    public let offset: Int
    /// The size of the tensor's data in bytes.
    public let byteCount: Int
    /// The number of elements (the product of `shape`).
    public let elementCount: Int

    /// Creates a tensor description.
    public init(name: String, type: GGMLType, shape: [Int], offset: Int, byteCount: Int, elementCount: Int) {
        self.name = name
        self.type = type
        self.shape = shape
        self.offset = offset
        self.byteCount = byteCount
        self.elementCount = elementCount
    }

    /// The number of elements in one row (`shape[0]`; 1 for a scalar).
    public var rowLength: Int { shape.first ?? 1 }

    /// The number of rows (the product of every dimension but the first).
    public var rowCount: Int { rowLength == 0 ? 0 : elementCount / rowLength }

    /// The number of bytes in one row.
    public var rowBytes: Int { rowCount == 0 ? 0 : byteCount / rowCount }
}
