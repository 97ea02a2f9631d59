import CVulkan

/// A compute pipeline built from an embedded shader variant: `bindings` storage buffers in
/// set 0 (binding i is the i-th buffer), a push-constant block, and specialization constants
/// 0, 1, 2… set to `specialization`.
package final class ComputePipeline: @unchecked Sendable {
    // Immutable handles.
    let device: VulkanDevice
    let setLayout: VkDescriptorSetLayout
    let layout: VkPipelineLayout
    let pipeline: VkPipeline
    /// Storage-buffer bindings.
    let bindings: Int
    /// Push-constant bytes.
    let pushConstantSize: Int
    /// The variant name.
    package let name: String

    init(device: VulkanDevice, shader: String, bindings: Int, pushConstantSize: Int, specialization: [UInt32]) throws {
        guard let words = ShaderLibrary.words(shader) else { throw VulkanError.missingShader(shader) }
        self.device = device
        self.bindings = bindings
        self.pushConstantSize = pushConstantSize
        self.name = shader
        let arena = CArena()

        var moduleInfo = VkShaderModuleCreateInfo()
        moduleInfo.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO
        moduleInfo.codeSize = words.count * 4
        moduleInfo.pCode = words.baseAddress
        var module: VkShaderModule?
        try check(device.createShaderModule(device.handle, &moduleInfo, nil, &module), "vkCreateShaderModule")
        defer { device.destroyShaderModule(device.handle, module, nil) }

        let layoutBindings: [VkDescriptorSetLayoutBinding] = (0..<bindings).map { i in
            var b = VkDescriptorSetLayoutBinding()
            b.binding = UInt32(i)
            b.descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER
            b.descriptorCount = 1
            b.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT.rawValue
            return b
        }
        var setInfo = VkDescriptorSetLayoutCreateInfo()
        setInfo.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO
        setInfo.bindingCount = UInt32(bindings)
        setInfo.pBindings = arena.array(layoutBindings).map { UnsafePointer($0) }
        var setLayout: VkDescriptorSetLayout?
        try check(device.createDescriptorSetLayout(device.handle, &setInfo, nil, &setLayout), "vkCreateDescriptorSetLayout")
        guard let setLayout else { throw VulkanError.callFailed(function: "vkCreateDescriptorSetLayout", result: 0) }
        self.setLayout = setLayout

        var range = VkPushConstantRange()
        range.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT.rawValue
        range.offset = 0
        range.size = UInt32(pushConstantSize)
        var layoutInfo = VkPipelineLayoutCreateInfo()
        layoutInfo.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO
        layoutInfo.setLayoutCount = 1
        layoutInfo.pSetLayouts = UnsafePointer(arena.pointer(Optional(setLayout)))
        if pushConstantSize > 0 {
            layoutInfo.pushConstantRangeCount = 1
            layoutInfo.pPushConstantRanges = UnsafePointer(arena.pointer(range))
        }
        var layout: VkPipelineLayout?
        try check(device.createPipelineLayout(device.handle, &layoutInfo, nil, &layout), "vkCreatePipelineLayout")
        guard let layout else { throw VulkanError.callFailed(function: "vkCreatePipelineLayout", result: 0) }
        self.layout = layout

        let entries: [VkSpecializationMapEntry] = specialization.indices.map { i in
            VkSpecializationMapEntry(constantID: UInt32(i), offset: UInt32(i * 4), size: 4)
        }
        var spec = VkSpecializationInfo()
        spec.mapEntryCount = UInt32(entries.count)
        spec.pMapEntries = arena.array(entries).map { UnsafePointer($0) }
        spec.dataSize = specialization.count * 4
        spec.pData = arena.array(specialization).map { UnsafeRawPointer($0) }

        var stage = VkPipelineShaderStageCreateInfo()
        stage.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO
        stage.stage = VK_SHADER_STAGE_COMPUTE_BIT
        stage.module = module
        stage.pName = arena.cString("main")
        stage.pSpecializationInfo = specialization.isEmpty ? nil : UnsafePointer(arena.pointer(spec))
        var pipelineInfo = VkComputePipelineCreateInfo()
        pipelineInfo.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO
        pipelineInfo.stage = stage
        pipelineInfo.layout = layout
        var pipeline: VkPipeline?
        let result = withExtendedLifetime(arena) {
            device.createComputePipelines(device.handle, nil, 1, &pipelineInfo, nil, &pipeline)
        }
        guard result == VK_SUCCESS, let pipeline else {
            device.destroyPipelineLayout(device.handle, layout, nil)
            device.destroyDescriptorSetLayout(device.handle, setLayout, nil)
            throw VulkanError.callFailed(function: "vkCreateComputePipelines(\(shader))", result: result.rawValue)
        }
        self.pipeline = pipeline
    }

    deinit {
        VulkanExitGuard.run {
            device.destroyPipeline(device.handle, pipeline, nil)
            device.destroyPipelineLayout(device.handle, layout, nil)
            device.destroyDescriptorSetLayout(device.handle, setLayout, nil)
        }
    }
}
