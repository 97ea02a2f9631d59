import MinnowEngine
import MinnowGGUF
import MinnowTestSupport
import MinnowVulkan
import Testing

/// The `.auto` / `.vulkan` policy of `BackendSelector` and `VulkanBackendProvider` on device lists no CI machine has (a
/// GPU beside lavapipe), and its memory budget check on the real device.
@Suite("Backend selection policy")
struct BackendSelectionPolicyTests {
    private func info(_ i: Int, _ name: String, _ kind: VulkanDeviceInfo.Kind) -> VulkanDeviceInfo {
        VulkanTestDevice.info(i, name, kind)
    }

    private func reason(_ body: () throws -> VulkanDeviceChoice) -> String? {
        do {
            let choice = try body()
            Issue.record("expected no device, got \(choice)")
            return nil
        } catch let error as BackendError {
            guard case .unavailable(let why) = error else { return error.description }
            return why
        } catch {
            return "\(error)"
        }
    }

    @Test("auto takes a GPU of any kind but CPU, and never lavapipe on its own")
    func autoSkipsCPUDevices() throws {
        let lavapipe = info(0, "llvmpipe (LLVM 15)", .cpu)
        let mixed = [lavapipe, info(1, "Intel UHD", .integrated), info(2, "Radeon", .discrete)]
        #expect(try VulkanBackendProvider.autoDevice(from: mixed, named: nil) == .index(2))
        #expect(try VulkanBackendProvider.autoDevice(from: [lavapipe, info(1, "virtio", .virtual)], named: nil) == .index(1))
        let only = reason { try VulkanBackendProvider.autoDevice(from: [lavapipe], named: nil) }
        #expect(only == "Vulkan unavailable: no GPU, only llvmpipe (LLVM 15) (CPU), which is slower than the CPU backend")
        let none = reason { try VulkanBackendProvider.autoDevice(from: [], named: nil) }
        #expect(none == "Vulkan unavailable: the Vulkan driver reports no device")
    }

    @Test("MINNOW_VULKAN_DEVICE is the user's choice, even a CPU-type device; a wrong one says what exists")
    func namedDevice() throws {
        let devices = [info(0, "llvmpipe (LLVM 15)", .cpu), info(1, "NVIDIA H200", .discrete)]
        #expect(try VulkanBackendProvider.autoDevice(from: devices, named: .name("llvmpipe")) == .index(0))
        let wrong = reason { try VulkanBackendProvider.autoDevice(from: devices, named: .index(7)) }
        #expect(wrong == "no Vulkan device matches '7'; available: 0: llvmpipe (LLVM 15), 1: NVIDIA H200")
    }

    @Test("A model and cache larger than the device's memory: vulkan throws, auto takes the CPU and says why",
          .enabled(if: VulkanTestDevice.available && TestModels.available(TestModels.smolLM2)))
    func memoryBudget() throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let model = try TransformerLoader.model(from: GGUFFile.open(url, mode: .full))
        // 50 million positions of SmolLM2's F16 cache: 2 × 30 layers × 192 × 2 bytes each, ~1.2 TB.
        let capacity = 50_000_000
        let workload = BackendWorkload(graph: try model.graph(batchSize: 1, allLogits: false), weights: model.weights,
                                       cache: model.cacheSpec(capacity: capacity, type: .f16))
        do {
            _ = try BackendSelector.open(VulkanBackendProvider(device: .automatic), for: workload)
            Issue.record("a 1.2 TB KV cache fit the device")
        } catch BackendError.unavailable(let why) {
            #expect(why.hasPrefix("out of device memory: "), "\(why)")
        }
        let auto = try BackendSelector.select(from: [VulkanBackendProvider(), CPUBackendProvider(threads: 1)], for: workload)
        #expect(auto.backend.name == "cpu")
        // On lavapipe auto stops at the device kind; on a GPU, at the memory budget.
        let why = try VulkanTestDevice.device().info.kind == .cpu ? "Vulkan unavailable: no GPU" : "out of device memory"
        #expect(auto.note?.hasPrefix("backend auto: using CPU (\(why)") == true, "\(auto.note ?? "nil")")
        print("memory budget: \(auto.note ?? "")")
    }
}
