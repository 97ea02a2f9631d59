import MinnowEngine
import MinnowGGUF

extension VulkanBackend {
    /// Any number of sequences (rows carry their own sequence and position; a layer's cache,
    /// all sequences together, must fit one storage-buffer binding), every op, and the weight
    /// types with a matrix kernel.
    package var capabilities: BackendCapabilities {
        BackendCapabilities(maxSequences: .max, weightTypes: VulkanWeight.supportedTypes)
    }
}
