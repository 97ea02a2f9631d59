import MinnowGGUF

/// Weights as the CPU backend uses them: matrices in place from the memory map or copied to
/// huge pages on first use (``WeightPlacement``). Small float vectors
/// (norm weights, biases) are converted to F32 once, since every op reads them whole.
package final class CPUWeights: LoadedWeights, @unchecked Sendable {
    /// The weights as the model file holds them.
    package let source: WeightSet
    /// F32 copies of the 1-D tensors, by weight index.
    let vectors: [Int: [Float]]
    /// Copies of matrices made on first use by a matmul (when `arena` exists), by weight index.
    /// Read and written only under the backend's execution lock.
    private var copies: [Int: UnsafeRawBufferPointer] = [:]
    private let arena: WeightArena?

    /// Checks `source`; matrices are copied into huge-page memory on first use when `placement`
    /// says so.
    init(_ source: WeightSet, placement: WeightPlacement = .mapped) throws {
        self.source = source
        let matrixBytes = source.infos.indices.reduce(0) { sum, i in
            source.infos[i].shape.count >= 2 ? sum + source.data[i].count + 64 : sum
        }
        arena = placement.copies(matrixBytes: matrixBytes) ? WeightArena(bytes: matrixBytes) : nil
        var vectors: [Int: [Float]] = [:]
        for (i, info) in source.infos.enumerated() {
            guard let expected = info.type.rowBytes(elements: info.rowLength).map({ $0 * info.rowCount }) else {
                throw BackendError.badWeight(name: info.name, reason: "\(info.rowLength) values per row is not a whole number of \(info.type.name) blocks")
            }
            guard source.data[i].count >= expected, source.data[i].baseAddress != nil || expected == 0 else {
                throw BackendError.badWeight(name: info.name, reason: "\(source.data[i].count) bytes of data, expected \(expected)")
            }
            if info.shape.count == 1 {
                do {
                    vectors[i] = try Dequantizer.dequantize(info.type, bytes: source.data[i])
                } catch {
                    throw BackendError.unsupported(op: .rmsNorm, weightType: info.type, backend: "cpu")
                }
            }
        }
        self.vectors = vectors
    }

    /// The bytes a matmul reads for weight `index`: the huge-page copy when there is an arena (made
    /// now if this is the first use), else the source bytes. Call under the execution lock.
    func matrixBytes(_ index: Int) -> UnsafeRawBufferPointer {
        guard let arena else { return source.data[index] }
        if let copy = copies[index] { return copy }
        guard let copy = arena.copy(source.data[index]) else { return source.data[index] }
        copies[index] = copy
        return copy
    }
}
