import CVulkan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A storage buffer and its memory. Host-visible buffers stay mapped for their lifetime.
///
/// Sizes never exceed the device's `maxStorageBufferRange`, so every buffer binds whole;
/// larger tensors are split by the caller (see `VulkanWeight`).
package final class VulkanBuffer: @unchecked Sendable {
    // Immutable handles; contents are synchronized by command-buffer submission order.
    let device: VulkanDevice
    let handle: VkBuffer
    let memory: VkDeviceMemory
    /// Size in bytes (a multiple of 4).
    package let size: Int
    /// The mapped contents, when the memory is host-visible.
    let mapped: UnsafeMutableRawPointer?

    /// Where a buffer lives.
    package enum Placement: Sendable {
        /// Device-local memory (host-visible too on unified-memory devices).
        case device
        /// Host-visible coherent memory, for staging and readback.
        case host
    }

    /// Allocates `size` bytes (rounded up to 4).
    package init(device: VulkanDevice, size: Int, placement: Placement = .device) throws {
        let bytes = max(4, (size + 3) & ~3)
        guard bytes <= device.info.maxStorageBufferRange else {
            throw VulkanError.invalidArgument(
                "buffer of \(bytes) bytes exceeds maxStorageBufferRange (\(device.info.maxStorageBufferRange))")
        }
        self.device = device
        self.size = bytes
        var info = VkBufferCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO
        info.size = VkDeviceSize(bytes)
        info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT.rawValue
            | VK_BUFFER_USAGE_TRANSFER_SRC_BIT.rawValue | VK_BUFFER_USAGE_TRANSFER_DST_BIT.rawValue
        info.sharingMode = VK_SHARING_MODE_EXCLUSIVE
        var buffer: VkBuffer?
        try check(device.createBuffer(device.handle, &info, nil, &buffer), "vkCreateBuffer")
        guard let buffer else { throw VulkanError.callFailed(function: "vkCreateBuffer", result: 0) }
        var requirements = VkMemoryRequirements()
        device.getBufferMemoryRequirements(device.handle, buffer, &requirements)
        let typeIndex = placement == .device ? device.deviceLocalType : device.hostVisibleType
        guard requirements.memoryTypeBits & (1 << typeIndex) != 0 else {
            device.destroyBuffer(device.handle, buffer, nil)
            throw VulkanError.unavailable("no suitable memory type for storage buffers")
        }
        var allocation = VkMemoryAllocateInfo()
        allocation.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO
        allocation.allocationSize = requirements.size
        allocation.memoryTypeIndex = typeIndex
        var memory: VkDeviceMemory?
        let result = device.allocateMemory(device.handle, &allocation, nil, &memory)
        guard result == VK_SUCCESS, let memory else {
            device.destroyBuffer(device.handle, buffer, nil)
            if result == VK_ERROR_OUT_OF_DEVICE_MEMORY || result == VK_ERROR_OUT_OF_HOST_MEMORY {
                throw VulkanError.outOfDeviceMemory(
                    requestedBytes: Int(requirements.size), availableBytes: device.availableDeviceMemory())
            }
            throw VulkanError.callFailed(function: "vkAllocateMemory", result: result.rawValue)
        }
        guard device.bindBufferMemory(device.handle, buffer, memory, 0) == VK_SUCCESS else {
            device.freeMemory(device.handle, memory, nil)
            device.destroyBuffer(device.handle, buffer, nil)
            throw VulkanError.callFailed(function: "vkBindBufferMemory", result: -1)
        }
        self.handle = buffer
        self.memory = memory
        let hostVisible = placement == .host || device.unifiedMemory
        if hostVisible {
            var pointer: UnsafeMutableRawPointer?
            _ = device.mapMemory(device.handle, memory, 0, VkDeviceSize(VK_WHOLE_SIZE), 0, &pointer)
            self.mapped = pointer
        } else {
            self.mapped = nil
        }
    }

    deinit {
        VulkanExitGuard.run {
            if mapped != nil { device.unmapMemory(device.handle, memory) }
            device.destroyBuffer(device.handle, handle, nil)
            device.freeMemory(device.handle, memory, nil)
        }
    }
}
