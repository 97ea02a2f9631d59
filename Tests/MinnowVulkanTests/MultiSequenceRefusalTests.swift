import MinnowEngine
import MinnowVulkan
import Testing

/// The Vulkan shaders take one sequence at consecutive positions: a multi-sequence batch (what
/// `BatchGenerator` and `minnow-summarize --parallel` ask for) is refused with a clear error,
/// before anything runs.
@Suite("Vulkan multi-sequence refusal", .enabled(if: VulkanTestDevice.available))
struct MultiSequenceRefusalTests {
    @Test func aMultiSequenceCacheIsRefusedClearly() throws {
        let vulkan = try VulkanBackend()
        let spec = KVCacheSpec(layers: 1, width: 32, capacity: 8, type: .f16, sequences: 2)
        #expect(throws: BackendError.multipleSequences(backend: vulkan.name)) { try vulkan.makeKVCache(spec) }
        #expect(BackendError.multipleSequences(backend: vulkan.name).description
            == "the vulkan backend evaluates one sequence at a time; batched generation needs the cpu backend")
        // One sequence is still fine.
        _ = try vulkan.makeKVCache(KVCacheSpec(layers: 1, width: 32, capacity: 8, type: .f16))
    }
}
