import CVulkan

/// Records a sequence of compute dispatches into one command buffer, with a barrier between
/// dependent dispatches, and submits it once.
///
/// Descriptor sets come from pools that are reset at every `begin()`, so a stream is reused
/// step after step without allocation growth. A recording begun with `begin(reusable: true)`
/// can be submitted again with ``replay()`` until the next `begin()`: its command buffer,
/// descriptor sets and the objects it binds are kept. Not thread-safe: one owner records at a
/// time.
package final class CommandStream {
    let device: VulkanDevice
    private let pool: VkCommandPool
    private let commandBuffer: VkCommandBuffer
    private let fence: VkFence
    private var descriptorPools: [VkDescriptorPool] = []
    private var currentPool = 0
    private var recording = false
    /// Whether the last recording was begun reusable and has been ended: ``replay()`` may submit it.
    private var replayable = false
    private var reusable = false
    private var pendingWrites: Set<ObjectIdentifier> = []
    private var retained: [AnyObject] = []
    /// Dispatches recorded since `begin()`.
    package private(set) var dispatchCount = 0

    private static let setsPerPool: UInt32 = 1024
    private static let buffersPerSet: UInt32 = 6

    package init(device: VulkanDevice) throws {
        self.device = device
        var poolInfo = VkCommandPoolCreateInfo()
        poolInfo.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO
        poolInfo.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT.rawValue
        poolInfo.queueFamilyIndex = device.queueFamily
        var pool: VkCommandPool?
        try check(device.createCommandPool(device.handle, &poolInfo, nil, &pool), "vkCreateCommandPool")
        guard let pool else { throw VulkanError.callFailed(function: "vkCreateCommandPool", result: 0) }
        self.pool = pool
        var allocInfo = VkCommandBufferAllocateInfo()
        allocInfo.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO
        allocInfo.commandPool = pool
        allocInfo.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY
        allocInfo.commandBufferCount = 1
        var cb: VkCommandBuffer?
        try check(device.allocateCommandBuffers(device.handle, &allocInfo, &cb), "vkAllocateCommandBuffers")
        guard let cb else { throw VulkanError.callFailed(function: "vkAllocateCommandBuffers", result: 0) }
        self.commandBuffer = cb
        var fenceInfo = VkFenceCreateInfo()
        fenceInfo.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO
        var fence: VkFence?
        try check(device.createFence(device.handle, &fenceInfo, nil, &fence), "vkCreateFence")
        guard let fence else { throw VulkanError.callFailed(function: "vkCreateFence", result: 0) }
        self.fence = fence
    }

    deinit {
        // Every submission is waited for in submitAndWait(), so nothing is in flight here.
        // (vkDeviceWaitIdle would touch the queue, which other streams may be using.)
        VulkanExitGuard.run {
            for p in descriptorPools { device.destroyDescriptorPool(device.handle, p, nil) }
            device.destroyFence(device.handle, fence, nil)
            device.destroyCommandPool(device.handle, pool, nil)
        }
    }

    /// Starts recording a new submission; a `reusable` one can be submitted again with
    /// ``replay()`` after `submitAndWait()`.
    package func begin(reusable: Bool = false) throws {
        // A recording that an error abandoned partway (an invalid argument, a failed allocation)
        // is discarded: resetting the command buffer returns it from the recording state to the
        // initial one, so one failed step never poisons the next.
        recording = false
        replayable = false
        try check(device.resetCommandBuffer(commandBuffer, 0), "vkResetCommandBuffer")
        for p in descriptorPools { _ = device.resetDescriptorPool(device.handle, p, 0) }
        currentPool = 0
        var info = VkCommandBufferBeginInfo()
        info.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO
        info.flags = reusable ? 0 : VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT.rawValue
        try check(device.beginCommandBuffer(commandBuffer, &info), "vkBeginCommandBuffer")
        recording = true
        self.reusable = reusable
        pendingWrites.removeAll()
        retained.removeAll()
        dispatchCount = 0
    }

    /// Records one dispatch of `pipeline` over `buffers` (binding i = buffers[i]), with
    /// `push` as its push constants. A memory barrier is inserted first when any buffer was
    /// written by an earlier dispatch of this submission.
    package func dispatch(
        _ pipeline: ComputePipeline, buffers: [VulkanBuffer], push: [UInt32], groups: (Int, Int, Int)
    ) throws {
        precondition(recording, "CommandStream.dispatch() outside begin()/submit()")
        guard buffers.count == pipeline.bindings else {
            throw VulkanError.invalidArgument("\(pipeline.name) takes \(pipeline.bindings) buffers, got \(buffers.count)")
        }
        guard push.count * 4 == pipeline.pushConstantSize else {
            throw VulkanError.invalidArgument("\(pipeline.name) takes \(pipeline.pushConstantSize) push bytes, got \(push.count * 4)")
        }
        if buffers.contains(where: { pendingWrites.contains(ObjectIdentifier($0)) }) {
            barrier()
        }
        let set = try allocateSet(pipeline.setLayout)
        let infos: [VkDescriptorBufferInfo] = buffers.map {
            VkDescriptorBufferInfo(buffer: $0.handle, offset: 0, range: VkDeviceSize($0.size))
        }
        infos.withUnsafeBufferPointer { ip in
            var writes: [VkWriteDescriptorSet] = (0..<buffers.count).map { i in
                var w = VkWriteDescriptorSet()
                w.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET
                w.dstSet = set
                w.dstBinding = UInt32(i)
                w.descriptorCount = 1
                w.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER
                w.pBufferInfo = ip.baseAddress.map { $0 + i }
                return w
            }
            device.updateDescriptorSets(device.handle, UInt32(writes.count), &writes, 0, nil)
        }
        device.cmdBindPipeline(commandBuffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline)
        var sets: [VkDescriptorSet?] = [set]
        device.cmdBindDescriptorSets(commandBuffer, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &sets, 0, nil)
        if !push.isEmpty {
            push.withUnsafeBytes { raw in
                device.cmdPushConstants(
                    commandBuffer, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT.rawValue, 0, UInt32(raw.count), raw.baseAddress)
            }
        }
        device.cmdDispatch(commandBuffer, UInt32(max(1, groups.0)), UInt32(max(1, groups.1)), UInt32(max(1, groups.2)))
        // Conservatively every bound buffer may be written.
        for b in buffers { pendingWrites.insert(ObjectIdentifier(b)) }
        retained.append(pipeline)
        retained.append(contentsOf: buffers)
        dispatchCount += 1
    }

    /// Records a copy of `bytes` bytes between buffers.
    package func copy(from source: VulkanBuffer, sourceOffset: Int = 0, to destination: VulkanBuffer,
                      destinationOffset: Int = 0, bytes: Int) {
        precondition(recording, "CommandStream.copy() outside begin()/submit()")
        barrier()
        var region = VkBufferCopy(srcOffset: VkDeviceSize(sourceOffset), dstOffset: VkDeviceSize(destinationOffset),
                                  size: VkDeviceSize(bytes))
        device.cmdCopyBuffer(commandBuffer, source.handle, destination.handle, 1, &region)
        pendingWrites.insert(ObjectIdentifier(destination))
        retained.append(source)
        retained.append(destination)
    }

    /// A full compute/transfer memory barrier.
    package func barrier() {
        var mb = VkMemoryBarrier()
        mb.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER
        mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT.rawValue | VK_ACCESS_TRANSFER_WRITE_BIT.rawValue
        mb.dstAccessMask = VK_ACCESS_SHADER_READ_BIT.rawValue | VK_ACCESS_SHADER_WRITE_BIT.rawValue
            | VK_ACCESS_TRANSFER_READ_BIT.rawValue | VK_ACCESS_TRANSFER_WRITE_BIT.rawValue
        let stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT.rawValue | VK_PIPELINE_STAGE_TRANSFER_BIT.rawValue
        device.cmdPipelineBarrier(commandBuffer, stages, stages, 0, 1, &mb, 0, nil, 0, nil)
        pendingWrites.removeAll()
    }

    /// Ends recording, submits, and waits for completion. A reusable recording keeps what it
    /// binds alive for ``replay()``; another one lets it go.
    package func submitAndWait() throws {
        precondition(recording, "CommandStream.submitAndWait() without begin()")
        recording = false
        // Make shader writes visible to the host (mapped reads after the fence).
        var mb = VkMemoryBarrier()
        mb.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER
        mb.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT.rawValue | VK_ACCESS_TRANSFER_WRITE_BIT.rawValue
        mb.dstAccessMask = VK_ACCESS_HOST_READ_BIT.rawValue
        device.cmdPipelineBarrier(
            commandBuffer, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT.rawValue | VK_PIPELINE_STAGE_TRANSFER_BIT.rawValue,
            VK_PIPELINE_STAGE_HOST_BIT.rawValue, 0, 1, &mb, 0, nil, 0, nil)
        try check(device.endCommandBuffer(commandBuffer), "vkEndCommandBuffer")
        try submit()
        replayable = reusable
        if !reusable { retained.removeAll() }
    }

    /// Submits the last recording again, unchanged, and waits for completion: the caller has
    /// written its new inputs into the host-visible buffers it reads.
    package func replay() throws {
        precondition(!recording && replayable, "CommandStream.replay() without a finished reusable recording")
        try submit()
    }

    /// Submits the ended command buffer and waits for its fence.
    private func submit() throws {
        var buffers: [VkCommandBuffer?] = [commandBuffer]
        var submit = VkSubmitInfo()
        submit.sType = VK_STRUCTURE_TYPE_SUBMIT_INFO
        submit.commandBufferCount = 1
        try buffers.withUnsafeMutableBufferPointer { bp in
            submit.pCommandBuffers = UnsafePointer(bp.baseAddress)
            let result = device.queueLock.withLock { _ in device.queueSubmit(device.queue, 1, &submit, fence) }
            try check(result, "vkQueueSubmit")
        }
        var fences: [VkFence?] = [fence]
        try check(device.waitForFences(device.handle, 1, &fences, VkBool32(VK_TRUE), UInt64.max), "vkWaitForFences")
        try check(device.resetFences(device.handle, 1, &fences), "vkResetFences")
    }

    private func allocateSet(_ layout: VkDescriptorSetLayout) throws -> VkDescriptorSet {
        while true {
            if currentPool == descriptorPools.count {
                descriptorPools.append(try makePool())
            }
            var layouts: [VkDescriptorSetLayout?] = [layout]
            var info = VkDescriptorSetAllocateInfo()
            info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO
            info.descriptorPool = descriptorPools[currentPool]
            info.descriptorSetCount = 1
            var set: VkDescriptorSet?
            let result = layouts.withUnsafeMutableBufferPointer { lp in
                info.pSetLayouts = UnsafePointer(lp.baseAddress)
                return device.allocateDescriptorSets(device.handle, &info, &set)
            }
            if result == VK_SUCCESS, let set { return set }
            if result == VK_ERROR_OUT_OF_POOL_MEMORY || result == VK_ERROR_FRAGMENTED_POOL {
                currentPool += 1
                continue
            }
            throw VulkanError.callFailed(function: "vkAllocateDescriptorSets", result: result.rawValue)
        }
    }

    private func makePool() throws -> VkDescriptorPool {
        var size = VkDescriptorPoolSize(type: VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                        descriptorCount: Self.setsPerPool * Self.buffersPerSet)
        var info = VkDescriptorPoolCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO
        info.maxSets = Self.setsPerPool
        info.poolSizeCount = 1
        var pool: VkDescriptorPool?
        try withUnsafePointer(to: &size) { sp in
            info.pPoolSizes = sp
            try check(device.createDescriptorPool(device.handle, &info, nil, &pool), "vkCreateDescriptorPool")
        }
        guard let pool else { throw VulkanError.callFailed(function: "vkCreateDescriptorPool", result: 0) }
        return pool
    }
}
