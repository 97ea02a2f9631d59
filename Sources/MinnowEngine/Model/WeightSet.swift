import MinnowGGUF

/// The description of one weight tensor: its name, element type and ggml shape.
public struct WeightInfo: Sendable, Equatable {
    /// The tensor's name in the model file, such as `blk.0.attn_q.weight`.
    public var name: String
    /// The element type.
    public var type: GGMLType
    /// The shape, fastest-varying dimension first (ggml's `ne`): a matrix is `[columns, rows]`.
    public var shape: [Int]

    /// Creates a weight description.
    public init(name: String, type: GGMLType, shape: [Int]) {
        self.name = name
        self.type = type
        self.shape = shape
    }

    /// The number of elements.
    public var elementCount: Int { shape.reduce(1, *) }
    /// Elements per row (`shape[0]`).
    public var rowLength: Int { shape.first ?? 1 }
    /// Number of rows (the product of the other dimensions).
    public var rowCount: Int { shape.dropFirst().reduce(1, *) }
    /// Bytes of one row.
    public var rowBytes: Int { type.rowBytes(elements: rowLength) ?? 0 }
}

/// The weights of a model: descriptions plus their bytes, used in place (typically from the
/// memory map of the model file, kept alive by `owner`).
public struct WeightSet: @unchecked Sendable {
    /// The tensors' descriptions; a ``WeightRef`` indexes this array.
    public let infos: [WeightInfo]
    /// The bytes of each tensor, in the same order.
    public let data: [UnsafeRawBufferPointer]
    /// Keeps the memory behind `data` alive.
    public let owner: AnyObject?
    private let indexByName: [String: Int]

    /// Drops weight `index`'s pages of the model file from resident memory once the backend holds
    /// its own copy (a no-op unless the weights are a read-only mapping of a GGUF file).
    package func releaseResidentPages(_ index: Int) {
        if let file = owner as? GGUFFile {
            file.releaseResidentPages(of: data[index])
        } else if let derived = owner as? DerivedWeightStorage, index < derived.baseCount {
            // Only the file's tensors: the derived ones live in ordinary memory.
            (derived.base as? GGUFFile)?.releaseResidentPages(of: data[index])
        }
    }

    /// Creates a weight set. `data[i]` must hold exactly the bytes of `infos[i]`.
    public init(infos: [WeightInfo], data: [UnsafeRawBufferPointer], owner: AnyObject?) {
        self.infos = infos
        self.data = data
        self.owner = owner
        var index: [String: Int] = [:]
        for (i, info) in infos.enumerated() { index[info.name] = i }
        self.indexByName = index
    }

    /// The reference to the weight named `name`, if present.
    public func ref(_ name: String) -> WeightRef? { indexByName[name].map { WeightRef(index: $0) } }

    /// The description of a weight.
    public func info(_ ref: WeightRef) -> WeightInfo { infos[ref.index] }

    /// The bytes of a weight.
    public func bytes(_ ref: WeightRef) -> UnsafeRawBufferPointer { data[ref.index] }
}
