import MinnowEngine
import MinnowGGUF

extension VulkanBackend {
    /// One sequence at a time (the shaders take one start position), every op, and the weight
    /// types with a matrix kernel.
    package var capabilities: BackendCapabilities {
        BackendCapabilities(maxSequences: 1, weightTypes: VulkanWeight.supportedTypes)
    }
}
