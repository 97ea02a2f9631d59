import MinnowEngine

/// The KV cache in device memory: per layer, one buffer of keys and one of values, each
/// `sequences × capacity` rows of `width` elements (F16 or F32), sequence s's position p at
/// row `s × capacity + p`. A layer's buffer must fit one binding (`maxStorageBufferRange`).
package final class VulkanKVCache: KVCacheStorage, @unchecked Sendable {
    // Immutable handles; contents change only inside the backend's serialized execution.
    /// Its layout.
    package let spec: KVCacheSpec
    let keys: [VulkanBuffer]
    let values: [VulkanBuffer]

    init(spec: KVCacheSpec, device: VulkanDevice) throws {
        if spec.type == .f16 && spec.width % 2 != 0 {
            throw VulkanError.invalidArgument("an F16 KV cache needs an even width, not \(spec.width)")
        }
        let bytes = spec.sequences * spec.capacity * spec.width * spec.type.bytes
        let available = device.availableDeviceMemory()
        guard spec.byteCount <= available else {
            throw VulkanError.outOfDeviceMemory(requestedBytes: spec.byteCount, availableBytes: available)
        }
        self.spec = spec
        keys = try (0..<spec.layers).map { _ in try VulkanBuffer(device: device, size: bytes) }
        values = try (0..<spec.layers).map { _ in try VulkanBuffer(device: device, size: bytes) }
    }
}
