import MinnowGGUF

/// Weights as the CPU backend uses them: matrices in place from the memory map, or, on first use
/// by a matmul, copied to huge pages (``WeightPlacement``) and there rearranged into the layout
/// of their kernel when it has one (``CPUWeightRepacking``). Small float vectors (norm weights,
/// biases) are converted to F32 once, since every op reads them whole.
package final class CPUWeights: LoadedWeights, @unchecked Sendable {
    /// The weights as the model file holds them.
    package let source: WeightSet
    /// F32 copies of the 1-D tensors, by weight index.
    let vectors: [Int: [Float]]
    /// A matrix as a matmul reads it.
    struct Matrix {
        /// Its bytes.
        var bytes: UnsafeRawBufferPointer
        /// Whether they are in the kernel's repacked layout (else the file's row layout).
        var repacked: Bool
    }
    /// Matrices placed on first use (when `arena` exists), by weight index. Read and written only
    /// under the backend's execution lock.
    private var placed: [Int: Matrix] = [:]
    private let arena: WeightArena?
    private let kernels: ResolvedCPUKernels

    /// Checks `source`; matrices are copied into huge-page memory (and repacked for `kernels`)
    /// on first use when `placement` says so.
    init(_ source: WeightSet, placement: WeightPlacement = .mapped, kernels: ResolvedCPUKernels) throws {
        self.source = source
        self.kernels = kernels
        let matrixBytes = source.infos.indices.reduce(0) { sum, i in
            let info = source.infos[i]
            guard info.shape.count >= 2 else { return sum }
            let repacked = kernels.kernel(for: info.type)?.repacking.map { $0.rowBytes(info.rowLength) * info.rowCount } ?? 0
            return sum + max(source.data[i].count, repacked) + 64
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

    /// The matrix a matmul reads for weight `index`: with an arena, its repacked or plain copy
    /// (made now if this is the first use, the repacking split over `pool`), else the source bytes.
    /// Call under the execution lock.
    func matrix(_ index: Int, pool: ThreadPool) -> Matrix {
        let plain = Matrix(bytes: source.data[index], repacked: false)
        guard let arena else { return plain }
        if let matrix = placed[index] { return matrix }
        let info = source.infos[index]
        var matrix = plain
        if let repacking = kernels.kernel(for: info.type)?.repacking, info.rowCount % repacking.rowGroup == 0,
           case let rowBytes = repacking.rowBytes(info.rowLength), rowBytes > 0,
           let destination = arena.allocate(rowBytes * info.rowCount), let source = plain.bytes.baseAddress {
            let groups = info.rowCount / repacking.rowGroup
            let pieces = min(groups, pool.threadCount * 4)
            let sourceStride = info.rowBytes
            let failed = AtomicFlag()
            pool.run(tasks: pieces) { piece in
                let first = groups * piece / pieces * repacking.rowGroup
                let end = groups * (piece + 1) / pieces * repacking.rowGroup
                guard end > first else { return }
                if !repacking.repack(source + first * sourceStride, sourceStride, end - first, info.rowLength,
                                     destination + first * rowBytes) {
                    failed.set()
                }
            }
            if !failed.isSet {
                matrix = Matrix(bytes: UnsafeRawBufferPointer(start: destination, count: rowBytes * info.rowCount), repacked: true)
            }
        }
        if !matrix.repacked, let copy = arena.copy(plain.bytes) {
            matrix = Matrix(bytes: copy, repacked: false)
        }
        placed[index] = matrix
        // The file's pages of a matrix now held in the arena are not needed: drop them from the
        // resident set so the weights are not held twice.
        if matrix.bytes.baseAddress != plain.bytes.baseAddress { source.releaseResidentPages(index) }
        return matrix
    }
}
