import MinnowGGUF

/// A weight matrix in device memory: `rows` rows of `columns` elements of `type`, stored as
/// ggml blocks. A matrix larger than `maxStorageBufferRange` (a 1.5B model's output matrix
/// on lavapipe, whose limit is 128 MiB) is split into parts of whole rows, each its own
/// buffer; kernels run once per part.
package final class VulkanWeight: @unchecked Sendable {
    // Immutable after upload.
    /// The element type.
    package let type: GGMLType
    /// Number of rows (output features).
    package let rows: Int
    /// Elements per row (input features).
    package let columns: Int
    /// Bytes per row.
    package let rowBytes: Int
    /// The parts, in row order: each holds `rowCount` rows starting at `firstRow`.
    let parts: [(buffer: VulkanBuffer, firstRow: Int, rowCount: Int)]

    /// The types the kernels can read.
    package static let supportedTypes: Set<GGMLType> = [.f32, .f16, .q8_0, .q4_0, .q4_1, .q5_0, .q4_K, .q5_K, .q6_K]

    /// Uploads `data` (exactly `rows` rows of ggml blocks) to device memory.
    package init(device: VulkanDevice, stream: CommandStream, type: GGMLType, rows: Int, columns: Int,
                 data: UnsafeRawBufferPointer, maxPartBytes: Int? = nil) throws {
        guard Self.supportedTypes.contains(type) else { throw VulkanError.unsupportedType(type.name) }
        guard rows > 0, columns > 0, columns % 32 == 0, let rowBytes = type.rowBytes(elements: columns) else {
            throw VulkanError.invalidArgument("weight of \(rows)×\(columns) \(type.name): columns must be a multiple of 32")
        }
        guard data.count >= rows * rowBytes else {
            throw VulkanError.invalidArgument("weight data holds \(data.count) bytes, \(rows * rowBytes) needed")
        }
        self.type = type
        self.rows = rows
        self.columns = columns
        self.rowBytes = rowBytes
        let limit = min(maxPartBytes ?? Int.max, device.info.maxStorageBufferRange) - 4
        let rowsPerPart = max(1, limit / rowBytes)
        var parts: [(VulkanBuffer, Int, Int)] = []
        var first = 0
        while first < rows {
            let count = min(rowsPerPart, rows - first)
            let buffer = try VulkanBuffer(device: device, size: count * rowBytes)
            let slice = UnsafeRawBufferPointer(rebasing: data[(first * rowBytes)..<((first + count) * rowBytes)])
            try device.upload(slice, to: buffer, stream: stream)
            parts.append((buffer, first, count))
            first += count
        }
        self.parts = parts
    }

    /// Number of device buffers the weight occupies.
    package var partCount: Int { parts.count }
}
