import MinnowEngine
import MinnowGGUF

/// A model's weights in device memory: matrices (and embedding tables) as ggml blocks,
/// uploaded once through staging buffers and split to fit `maxStorageBufferRange`; 1-D
/// tensors (norm weights, biases) dequantized to F32 on the host first.
package final class VulkanWeights: LoadedWeights, @unchecked Sendable {
    // Immutable after init.
    /// The weights as the model file holds them.
    package let source: WeightSet
    /// Matrices, by weight index.
    let matrices: [Int: VulkanWeight]
    /// F32 vectors, by weight index.
    let vectors: [Int: VulkanBuffer]
    /// Bytes uploaded.
    package let deviceBytes: Int

    init(_ source: WeightSet, device: VulkanDevice, stream: CommandStream) throws {
        self.source = source
        // Check sizes and the memory budget before uploading anything.
        let total = try Self.deviceBytes(source)
        let available = device.availableDeviceMemory()
        guard total <= available else {
            throw VulkanError.outOfDeviceMemory(requestedBytes: total, availableBytes: available)
        }
        var matrices: [Int: VulkanWeight] = [:]
        var vectors: [Int: VulkanBuffer] = [:]
        for (i, info) in source.infos.enumerated() {
            if info.shape.count == 1 {
                guard Dequantizer.supports(info.type) else {
                    throw BackendError.unsupported(op: .rmsNorm, weightType: info.type, backend: "vulkan")
                }
                let bytes = UnsafeRawBufferPointer(rebasing: source.data[i][0..<(info.rowBytes * info.rowCount)])
                let values = try Dequantizer.dequantize(info.type, bytes: bytes)
                let buffer = try VulkanBuffer(device: device, size: values.count * 4)
                try device.upload(values, to: buffer, stream: stream)
                vectors[i] = buffer
            } else {
                guard VulkanWeight.supportedTypes.contains(info.type) else { continue }
                matrices[i] = try VulkanWeight(device: device, stream: stream, type: info.type, rows: info.rowCount,
                                               columns: info.rowLength, data: source.data[i])
            }
        }
        self.matrices = matrices
        self.vectors = vectors
        self.deviceBytes = total
    }

    /// The device memory `source` takes once uploaded (matrices as ggml blocks, vectors as
    /// F32), after checking that every tensor's data is whole; throws `BackendError.badWeight`.
    package static func deviceBytes(_ source: WeightSet) throws -> Int {
        var total = 0
        for (i, info) in source.infos.enumerated() {
            guard let expected = info.type.rowBytes(elements: info.rowLength).map({ $0 * info.rowCount }) else {
                throw BackendError.badWeight(name: info.name, reason: "\(info.rowLength) values per row is not a whole number of \(info.type.name) blocks")
            }
            guard source.data[i].count >= expected, source.data[i].baseAddress != nil || expected == 0 else {
                throw BackendError.badWeight(name: info.name, reason: "\(source.data[i].count) bytes of data, expected \(expected)")
            }
            total += info.shape.count == 1 ? info.elementCount * 4 : expected
        }
        return total
    }

    func matrix(_ w: WeightRef, op: OpKind) throws -> VulkanWeight {
        guard let m = matrices[w.index] else {
            throw BackendError.unsupported(op: op, weightType: source.info(w).type, backend: "vulkan")
        }
        return m
    }

    func vector(_ w: WeightRef) throws -> VulkanBuffer {
        guard let v = vectors[w.index] else {
            throw BackendError.badWeight(name: source.info(w).name, reason: "expected a 1-D tensor")
        }
        return v
    }
}
