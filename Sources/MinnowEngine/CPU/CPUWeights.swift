import MinnowGGUF

/// Weights as the CPU backend uses them: in place, from the memory map. Small float vectors
/// (norm weights, biases) are converted to F32 once, since every op reads them whole.
package final class CPUWeights: LoadedWeights, @unchecked Sendable {
    /// The weights as the model file holds them.
    package let source: WeightSet
    /// F32 copies of the 1-D tensors, by weight index.
    let vectors: [Int: [Float]]

    init(_ source: WeightSet) throws {
        self.source = source
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
}
