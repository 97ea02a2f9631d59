/// The memory of weights made from a model's own (rows gathered from a matrix, see
/// ``WeightSet/appendingRows(of:_:name:)``), kept alive with the weights they were made from.
final class DerivedWeightStorage: @unchecked Sendable {
    /// What keeps the original weights alive (typically the model's ``MinnowGGUF/GGUFFile``).
    let base: AnyObject?
    /// How many weights of the set came from `base`; those after them live in ``buffers``.
    let baseCount: Int
    /// The derived weights' memory, freed with this object.
    let buffers: [UnsafeMutableRawBufferPointer]

    /// Storage for `buffers`, derived from a set of `baseCount` weights kept alive by `base`.
    init(base: AnyObject?, baseCount: Int, buffers: [UnsafeMutableRawBufferPointer]) {
        self.base = base
        self.baseCount = baseCount
        self.buffers = buffers
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }
}
