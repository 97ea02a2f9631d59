import MinnowVulkan
import Testing

@Suite("Vulkan devices")
struct DeviceTests {
    private func info(_ i: Int, _ name: String, _ kind: VulkanDeviceInfo.Kind) -> VulkanDeviceInfo {
        VulkanTestDevice.info(i, name, kind)
    }

    @Test("Automatic selection prefers discrete, then integrated, virtual, CPU")
    func automaticPreference() throws {
        let devices = [info(0, "llvmpipe", .cpu), info(1, "Intel UHD", .integrated), info(2, "Radeon", .discrete)]
        #expect(try VulkanDeviceChoice.automatic.select(from: devices).name == "Radeon")
        #expect(try VulkanDeviceChoice.automatic.select(from: Array(devices.prefix(2))).name == "Intel UHD")
        let virt = [info(0, "llvmpipe", .cpu), info(1, "virtio", .virtual)]
        #expect(try VulkanDeviceChoice.automatic.select(from: virt).name == "virtio")
    }

    @Test("Index and name choices, and their errors")
    func explicitChoice() throws {
        let devices = [info(0, "llvmpipe (LLVM 15)", .cpu), info(1, "NVIDIA H200", .discrete)]
        #expect(try VulkanDeviceChoice(parsing: "0").select(from: devices).name == "llvmpipe (LLVM 15)")
        #expect(try VulkanDeviceChoice(parsing: " nvidia ").select(from: devices).index == 1)
        #expect(VulkanDeviceChoice(parsing: "") == .automatic)
        #expect(throws: VulkanError.self) { try VulkanDeviceChoice.index(5).select(from: devices) }
        #expect(throws: VulkanError.self) { try VulkanDeviceChoice.name("adreno").select(from: devices) }
        #expect(throws: VulkanError.self) { try VulkanDeviceChoice.automatic.select(from: []) }
    }

    @Test("The shader variant: automatic from kind and features, MINNOW_VULKAN_VARIANT forces one, errors name what is missing")
    func variantChoice() throws {
        var gpu = info(0, "GPU", .discrete)
        #expect(VulkanVariant.automatic(for: gpu) == .portable)
        gpu.features.subgroupInCompute = true
        gpu.features.subgroupOperations = ["basic", "arithmetic"]
        #expect(VulkanVariant.automatic(for: gpu) == .subgroup)
        gpu.features.integerDotProduct = true
        #expect(VulkanVariant.automatic(for: gpu) == .subgroup)  // not reported as accelerated
        gpu.features.integerDotProductAccelerated = true
        #expect(VulkanVariant.automatic(for: gpu) == .integerDot)
        var cpu = gpu
        cpu.kind = .cpu
        #expect(VulkanVariant.automatic(for: cpu) == .portable)
        #expect(try VulkanVariant.choose("integer-dot", for: cpu) == .integerDot)
        #expect(try VulkanVariant.choose(nil, for: cpu) == .portable)
        #expect(try VulkanVariant.choose("tiled", for: cpu) == .tiled)
        #expect(throws: VulkanError.self) { try VulkanVariant.choose("fast", for: cpu) }
        let bare = info(1, "old GPU", .integrated)
        #expect(try VulkanVariant.choose("portable", for: bare) == .portable)
        #expect(try VulkanVariant.choose("tiled", for: bare) == .tiled)  // needs only Vulkan 1.1 compute
        do {
            _ = try VulkanVariant.choose("integer-dot", for: bare)
            Issue.record("integer-dot on a device without the feature")
        } catch {
            #expect("\(error)".contains("shaderIntegerDotProduct") && "\(error)".contains("subgroup arithmetic"))
        }
    }

    @Test("Without a loader the backend reports why, and nothing traps")
    func missingLoader() {
        do {
            _ = try VulkanLibrary(names: ["libminnow-no-such-vulkan.so.1"])
            Issue.record("opened a loader that does not exist")
        } catch let error as VulkanError {
            guard case .unavailable(let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reason.contains("no Vulkan loader"))
            #expect(error.description.hasPrefix("Vulkan unavailable: "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("The device reports its features and limits", .enabled(if: VulkanTestDevice.available))
    func features() throws {
        let device = try VulkanTestDevice.device()
        let info = device.info
        print("Vulkan device: \(info), API \(info.apiVersion), subgroup \(info.features.subgroupSize) "
              + "\(info.features.subgroupOperations), maxStorageBufferRange \(info.maxStorageBufferRange)")
        #expect(info.features.subgroupSize >= 1)
        #expect(info.maxStorageBufferRange >= 1 << 20)
        #expect(info.maxWorkgroupSize >= 64)
        #expect(device.availableDeviceMemory() > 0)
        #expect(ShaderLibrary.names.contains("matmul_q4_k"))
    }
}
