import CVulkan
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A logical Vulkan device with one compute queue, and the device-level entry points.
///
/// Thread safety: the handles and function pointers are immutable. Queue submission is
/// serialized by the single owner (the backend); the type is marked `@unchecked Sendable`
/// so that an owner may move between tasks.
package final class VulkanDevice: @unchecked Sendable {
    /// The instance this device came from (kept alive).
    let instance: VulkanInstance
    /// The physical device.
    let physical: VkPhysicalDevice
    /// The device's description and features.
    package let info: VulkanDeviceInfo
    /// Whether the validation layer is loaded and its errors are counted (see `VulkanValidation`).
    package var validationEnabled: Bool { instance.validationEnabled }
    let handle: VkDevice
    let queue: VkQueue
    let queueFamily: UInt32
    /// Memory type for device-local buffers.
    let deviceLocalType: UInt32
    /// Memory type for host-visible, coherent buffers (staging, readback).
    let hostVisibleType: UInt32
    /// Whether `deviceLocalType` is also host-visible (integrated GPUs, lavapipe): uploads
    /// then go straight to the buffer with no staging copy.
    let unifiedMemory: Bool

    let destroyDevice: PFN_vkDestroyDevice
    let deviceWaitIdle: PFN_vkDeviceWaitIdle
    let createBuffer: PFN_vkCreateBuffer
    let destroyBuffer: PFN_vkDestroyBuffer
    let getBufferMemoryRequirements: PFN_vkGetBufferMemoryRequirements
    let allocateMemory: PFN_vkAllocateMemory
    let freeMemory: PFN_vkFreeMemory
    let bindBufferMemory: PFN_vkBindBufferMemory
    let mapMemory: PFN_vkMapMemory
    let unmapMemory: PFN_vkUnmapMemory
    let createShaderModule: PFN_vkCreateShaderModule
    let destroyShaderModule: PFN_vkDestroyShaderModule
    let createDescriptorSetLayout: PFN_vkCreateDescriptorSetLayout
    let destroyDescriptorSetLayout: PFN_vkDestroyDescriptorSetLayout
    let createPipelineLayout: PFN_vkCreatePipelineLayout
    let destroyPipelineLayout: PFN_vkDestroyPipelineLayout
    let createComputePipelines: PFN_vkCreateComputePipelines
    let destroyPipeline: PFN_vkDestroyPipeline
    let createDescriptorPool: PFN_vkCreateDescriptorPool
    let destroyDescriptorPool: PFN_vkDestroyDescriptorPool
    let resetDescriptorPool: PFN_vkResetDescriptorPool
    let allocateDescriptorSets: PFN_vkAllocateDescriptorSets
    let updateDescriptorSets: PFN_vkUpdateDescriptorSets
    let createCommandPool: PFN_vkCreateCommandPool
    let destroyCommandPool: PFN_vkDestroyCommandPool
    let allocateCommandBuffers: PFN_vkAllocateCommandBuffers
    let resetCommandBuffer: PFN_vkResetCommandBuffer
    let beginCommandBuffer: PFN_vkBeginCommandBuffer
    let endCommandBuffer: PFN_vkEndCommandBuffer
    let cmdBindPipeline: PFN_vkCmdBindPipeline
    let cmdBindDescriptorSets: PFN_vkCmdBindDescriptorSets
    let cmdPushConstants: PFN_vkCmdPushConstants
    let cmdDispatch: PFN_vkCmdDispatch
    let cmdPipelineBarrier: PFN_vkCmdPipelineBarrier
    let cmdCopyBuffer: PFN_vkCmdCopyBuffer
    let queueSubmit: PFN_vkQueueSubmit
    let createFence: PFN_vkCreateFence
    let destroyFence: PFN_vkDestroyFence
    let waitForFences: PFN_vkWaitForFences
    let resetFences: PFN_vkResetFences
    /// Serializes submissions to `queue`, which Vulkan requires to be externally synchronized.
    let queueLock = Mutex<Void>(())

    /// Opens the device `choice` picks (`MINNOW_VULKAN_DEVICE` overrides `.automatic`).
    package convenience init(choice: VulkanDeviceChoice = .automatic, validation: Bool = false) throws {
        let instance = try VulkanInstance(validation: validation)
        let physical = try instance.physicalDevices()
        let infos = physical.enumerated().map { instance.describe($0.element, index: $0.offset) }
        let effective = choice == .automatic ? VulkanDeviceChoice.fromEnvironment ?? .automatic : choice
        let picked = try effective.select(from: infos)
        try self.init(instance: instance, physical: physical[picked.index], info: picked)
    }

    /// Lists the devices the driver reports, or throws `VulkanError.unavailable`.
    package static func available() throws -> [VulkanDeviceInfo] {
        let instance = try VulkanInstance()
        return try instance.physicalDevices().enumerated().map { instance.describe($0.element, index: $0.offset) }
    }

    init(instance: VulkanInstance, physical: VkPhysicalDevice, info: VulkanDeviceInfo) throws {
        self.instance = instance
        self.physical = physical
        self.info = info

        // A queue family with compute.
        var familyCount: UInt32 = 0
        instance.getPhysicalDeviceQueueFamilyProperties(physical, &familyCount, nil)
        var families = [VkQueueFamilyProperties](repeating: VkQueueFamilyProperties(), count: Int(familyCount))
        instance.getPhysicalDeviceQueueFamilyProperties(physical, &familyCount, &families)
        let computeBit = VK_QUEUE_COMPUTE_BIT.rawValue
        // Prefer a compute-only family (async compute on GPUs), else any with compute.
        let candidates = families.prefix(Int(familyCount)).enumerated().filter { $0.element.queueFlags & computeBit != 0 }
        guard let family = candidates.first(where: { $0.element.queueFlags & VK_QUEUE_GRAPHICS_BIT.rawValue == 0 })
            ?? candidates.first else {
            throw VulkanError.unavailable("\(info.name) has no compute queue")
        }
        self.queueFamily = UInt32(family.offset)

        // Memory types.
        var memory = VkPhysicalDeviceMemoryProperties()
        instance.getPhysicalDeviceMemoryProperties(physical, &memory)
        let types: [VkMemoryType] = withUnsafeBytes(of: memory.memoryTypes) { raw in
            Array(raw.bindMemory(to: VkMemoryType.self).prefix(Int(memory.memoryTypeCount)))
        }
        let local = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT.rawValue
        let visible = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT.rawValue | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT.rawValue
        guard let hostType = types.firstIndex(where: { $0.propertyFlags & visible == visible }) else {
            throw VulkanError.unavailable("\(info.name) has no host-visible coherent memory")
        }
        let unified = types.firstIndex(where: { $0.propertyFlags & (local | visible) == local | visible })
        let localType = unified ?? types.firstIndex(where: { $0.propertyFlags & local != 0 }) ?? hostType
        self.deviceLocalType = UInt32(localType)
        self.hostVisibleType = UInt32(unified ?? hostType)
        self.unifiedMemory = types[localType].propertyFlags & visible == visible

        // The logical device.
        let arena = CArena()
        var priority: Float = 1
        var queueInfo = VkDeviceQueueCreateInfo()
        queueInfo.sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO
        queueInfo.queueFamilyIndex = queueFamily
        queueInfo.queueCount = 1
        var created: VkDevice?
        let result = withUnsafePointer(to: &priority) { pp -> VkResult in
            queueInfo.pQueuePriorities = pp
            var deviceInfo = VkDeviceCreateInfo()
            deviceInfo.sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO
            deviceInfo.queueCreateInfoCount = 1
            deviceInfo.pQueueCreateInfos = UnsafePointer(arena.pointer(queueInfo))
            var extensions: [String] = []
            let available = instance.deviceExtensions(physical)
            if available.contains("VK_KHR_portability_subset") { extensions.append("VK_KHR_portability_subset") }
            if available.contains("VK_EXT_memory_budget") { extensions.append("VK_EXT_memory_budget") }
            // The integer-dot-product feature, for the `.integerDot` variant's shaders.
            if info.features.integerDotProduct {
                extensions.append("VK_KHR_shader_integer_dot_product")
                var dot = VkPhysicalDeviceShaderIntegerDotProductFeatures()
                dot.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES
                dot.shaderIntegerDotProduct = VkBool32(VK_TRUE)
                deviceInfo.pNext = UnsafeRawPointer(arena.pointer(dot))
            }
            deviceInfo.enabledExtensionCount = UInt32(extensions.count)
            deviceInfo.ppEnabledExtensionNames = arena.cStrings(extensions)
            return instance.createDevice(physical, &deviceInfo, nil, &created)
        }
        guard result == VK_SUCCESS, let device = created else {
            throw VulkanError.unavailable("vkCreateDevice failed on \(info.name): \(VulkanError.resultName(result.rawValue))")
        }
        self.handle = device
        func load<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let fn = name.withCString({ instance.getDeviceProcAddr(device, $0) }) else {
                throw VulkanError.missingFunction(name)
            }
            return unsafeBitCast(fn, to: T.self)
        }
        destroyDevice = try load("vkDestroyDevice", PFN_vkDestroyDevice.self)
        deviceWaitIdle = try load("vkDeviceWaitIdle", PFN_vkDeviceWaitIdle.self)
        createBuffer = try load("vkCreateBuffer", PFN_vkCreateBuffer.self)
        destroyBuffer = try load("vkDestroyBuffer", PFN_vkDestroyBuffer.self)
        getBufferMemoryRequirements = try load("vkGetBufferMemoryRequirements", PFN_vkGetBufferMemoryRequirements.self)
        allocateMemory = try load("vkAllocateMemory", PFN_vkAllocateMemory.self)
        freeMemory = try load("vkFreeMemory", PFN_vkFreeMemory.self)
        bindBufferMemory = try load("vkBindBufferMemory", PFN_vkBindBufferMemory.self)
        mapMemory = try load("vkMapMemory", PFN_vkMapMemory.self)
        unmapMemory = try load("vkUnmapMemory", PFN_vkUnmapMemory.self)
        createShaderModule = try load("vkCreateShaderModule", PFN_vkCreateShaderModule.self)
        destroyShaderModule = try load("vkDestroyShaderModule", PFN_vkDestroyShaderModule.self)
        createDescriptorSetLayout = try load("vkCreateDescriptorSetLayout", PFN_vkCreateDescriptorSetLayout.self)
        destroyDescriptorSetLayout = try load("vkDestroyDescriptorSetLayout", PFN_vkDestroyDescriptorSetLayout.self)
        createPipelineLayout = try load("vkCreatePipelineLayout", PFN_vkCreatePipelineLayout.self)
        destroyPipelineLayout = try load("vkDestroyPipelineLayout", PFN_vkDestroyPipelineLayout.self)
        createComputePipelines = try load("vkCreateComputePipelines", PFN_vkCreateComputePipelines.self)
        destroyPipeline = try load("vkDestroyPipeline", PFN_vkDestroyPipeline.self)
        createDescriptorPool = try load("vkCreateDescriptorPool", PFN_vkCreateDescriptorPool.self)
        destroyDescriptorPool = try load("vkDestroyDescriptorPool", PFN_vkDestroyDescriptorPool.self)
        resetDescriptorPool = try load("vkResetDescriptorPool", PFN_vkResetDescriptorPool.self)
        allocateDescriptorSets = try load("vkAllocateDescriptorSets", PFN_vkAllocateDescriptorSets.self)
        updateDescriptorSets = try load("vkUpdateDescriptorSets", PFN_vkUpdateDescriptorSets.self)
        createCommandPool = try load("vkCreateCommandPool", PFN_vkCreateCommandPool.self)
        destroyCommandPool = try load("vkDestroyCommandPool", PFN_vkDestroyCommandPool.self)
        allocateCommandBuffers = try load("vkAllocateCommandBuffers", PFN_vkAllocateCommandBuffers.self)
        resetCommandBuffer = try load("vkResetCommandBuffer", PFN_vkResetCommandBuffer.self)
        beginCommandBuffer = try load("vkBeginCommandBuffer", PFN_vkBeginCommandBuffer.self)
        endCommandBuffer = try load("vkEndCommandBuffer", PFN_vkEndCommandBuffer.self)
        cmdBindPipeline = try load("vkCmdBindPipeline", PFN_vkCmdBindPipeline.self)
        cmdBindDescriptorSets = try load("vkCmdBindDescriptorSets", PFN_vkCmdBindDescriptorSets.self)
        cmdPushConstants = try load("vkCmdPushConstants", PFN_vkCmdPushConstants.self)
        cmdDispatch = try load("vkCmdDispatch", PFN_vkCmdDispatch.self)
        cmdPipelineBarrier = try load("vkCmdPipelineBarrier", PFN_vkCmdPipelineBarrier.self)
        cmdCopyBuffer = try load("vkCmdCopyBuffer", PFN_vkCmdCopyBuffer.self)
        queueSubmit = try load("vkQueueSubmit", PFN_vkQueueSubmit.self)
        createFence = try load("vkCreateFence", PFN_vkCreateFence.self)
        destroyFence = try load("vkDestroyFence", PFN_vkDestroyFence.self)
        waitForFences = try load("vkWaitForFences", PFN_vkWaitForFences.self)
        resetFences = try load("vkResetFences", PFN_vkResetFences.self)
        let getQueue = try load("vkGetDeviceQueue", PFN_vkGetDeviceQueue.self)
        var q: VkQueue?
        getQueue(device, queueFamily, 0, &q)
        guard let q else { throw VulkanError.unavailable("vkGetDeviceQueue returned no queue") }
        self.queue = q
    }

    deinit {
        VulkanExitGuard.run {
            _ = deviceWaitIdle(handle)
            destroyDevice(handle, nil)
        }
    }

    /// Device-local bytes still free: the `VK_EXT_memory_budget` budget minus usage when the
    /// driver reports it, else the size of the largest device-local heap.
    package func availableDeviceMemory() -> Int {
        guard info.features.memoryBudget, let get2 = instance.getPhysicalDeviceMemoryProperties2 else {
            return info.deviceLocalBytes
        }
        var budget = VkPhysicalDeviceMemoryBudgetPropertiesEXT()
        budget.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_BUDGET_PROPERTIES_EXT
        var props = VkPhysicalDeviceMemoryProperties2()
        withUnsafeMutablePointer(to: &budget) { bp in
            props.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MEMORY_PROPERTIES_2
            props.pNext = UnsafeMutableRawPointer(bp)
            get2(physical, &props)
            props.pNext = nil
        }
        var best = 0
        let memory = props.memoryProperties
        withUnsafeBytes(of: memory.memoryHeaps) { heapsRaw in
            let heaps = heapsRaw.bindMemory(to: VkMemoryHeap.self)
            withUnsafeBytes(of: budget.heapBudget) { budgetRaw in
                let budgets = budgetRaw.bindMemory(to: VkDeviceSize.self)
                withUnsafeBytes(of: budget.heapUsage) { usageRaw in
                    let usage = usageRaw.bindMemory(to: VkDeviceSize.self)
                    for i in 0..<min(Int(memory.memoryHeapCount), heaps.count)
                    where heaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT.rawValue != 0 {
                        let free = budgets[i] > usage[i] ? Int(budgets[i] - usage[i]) : 0
                        best = max(best, free)
                    }
                }
            }
        }
        return best > 0 ? best : info.deviceLocalBytes
    }
}
