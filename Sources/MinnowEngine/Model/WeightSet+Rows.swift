/// Matrices made of some rows of another.
extension WeightSet {
    /// The alignment of gathered matrices (a cache line; the kernels need no more).
    static let gatheredAlignment = 64

    /// This set plus one new matrix, `name`, holding the rows `rows` of `matrix`, in that order.
    /// Rows of every GGML type are independent byte ranges, so the new matrix's dot products
    /// with any activation are exactly those of the kept rows. Throws
    /// ``ModelConfigError/badTensorShape(name:shape:expected:)`` when `matrix` is not a matrix or a
    /// row is out of range.
    package func appendingRows(of matrix: WeightRef, _ rows: [Int], name: String) throws -> WeightSet {
        let info = self.info(matrix)
        let rowBytes = info.rowBytes
        let source = bytes(matrix)
        guard info.shape.count == 2, rowBytes > 0, let base = source.baseAddress,
              source.count >= rowBytes * info.rowCount else {
            throw ModelConfigError.badTensorShape(name: info.name, shape: info.shape, expected: "a matrix of whole rows")
        }
        if let bad = rows.first(where: { $0 < 0 || $0 >= info.rowCount }) {
            throw ModelConfigError.badTensorShape(
                name: info.name, shape: info.shape, expected: "a row \(bad) to keep (it has \(info.rowCount))")
        }
        let buffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(1, rowBytes * rows.count), alignment: Self.gatheredAlignment)
        if let destination = buffer.baseAddress {
            for (index, row) in rows.enumerated() {
                (destination + index * rowBytes).copyMemory(from: base + row * rowBytes, byteCount: rowBytes)
            }
        }
        let storage = DerivedWeightStorage(base: owner, baseCount: infos.count, buffers: [buffer])
        let gathered = WeightInfo(name: name, type: info.type, shape: [info.rowLength, rows.count])
        return WeightSet(infos: infos + [gathered],
                         data: data + [UnsafeRawBufferPointer(start: buffer.baseAddress, count: rowBytes * rows.count)],
                         owner: storage)
    }
}
