import CVulkan

/// What a physical device offers that the kernels may use. Detected, never assumed: the
/// subgroup size in particular varies (8 on lavapipe, 32 or 64 on GPUs, up to 128).
public struct VulkanDeviceFeatures: Sendable, Equatable {
    /// Invocations per subgroup.
    public var subgroupSize: Int = 1
    /// Whether compute shaders support subgroup operations.
    public var subgroupInCompute: Bool = false
    /// Supported subgroup operations, by name (basic, vote, arithmetic, ballot, shuffle, …).
    public var subgroupOperations: [String] = []
    /// 8-bit integer types in storage buffers.
    public var storage8Bit: Bool = false
    /// 16-bit types in storage buffers.
    public var storage16Bit: Bool = false
    /// `float16_t` arithmetic in shaders.
    public var float16: Bool = false
    /// `int8_t` arithmetic in shaders.
    public var int8: Bool = false
    /// The `shaderIntegerDotProduct` feature (`VK_KHR_shader_integer_dot_product`, core in
    /// Vulkan 1.3): shaders may use OpSDot/OpSUDot.
    public var integerDotProduct: Bool = false
    /// The device reports packed 4×8-bit signed and mixed-signedness dot products as
    /// accelerated (false on lavapipe, which implements them in plain code).
    public var integerDotProductAccelerated: Bool = false
    /// `VK_KHR_cooperative_matrix` or `VK_NV_cooperative_matrix` is present.
    public var cooperativeMatrix: Bool = false
    /// `VK_EXT_memory_budget` is present.
    public var memoryBudget: Bool = false

    /// Creates an empty feature set.
    public init() {}
}

/// A physical device as the backend sees it.
public struct VulkanDeviceInfo: Sendable, Equatable, CustomStringConvertible {
    /// Position in the driver's enumeration order.
    public var index: Int
    /// The driver's name for the device, such as "llvmpipe (LLVM 15.0.6, 256 bits)".
    public var name: String
    /// discrete, integrated, virtual, cpu or other.
    public var kind: Kind
    /// The Vulkan version the device supports, such as "1.3.230".
    public var apiVersion: String
    /// Capabilities the kernels may use.
    public var features: VulkanDeviceFeatures
    /// The largest range one storage-buffer binding may cover, in bytes.
    public var maxStorageBufferRange: Int
    /// The largest workgroup size (x dimension).
    public var maxWorkgroupSize: Int
    /// Shared memory per workgroup, in bytes.
    public var maxSharedMemory: Int
    /// Bytes of device-local memory (the largest device-local heap).
    public var deviceLocalBytes: Int

    /// Device types, in the order of preference.
    public enum Kind: Int, Sendable, Comparable, CustomStringConvertible {
        case discrete = 0, integrated, virtual, cpu, other
        /// Preference order: discrete first.
        public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
        /// The kind's name.
        public var description: String {
            switch self {
            case .discrete: return "discrete GPU"
            case .integrated: return "integrated GPU"
            case .virtual: return "virtual GPU"
            case .cpu: return "CPU"
            case .other: return "other"
            }
        }
    }

    /// Describes a device (used by the driver query, and by tests of device selection).
    public init(index: Int, name: String, kind: Kind, apiVersion: String, features: VulkanDeviceFeatures,
                maxStorageBufferRange: Int, maxWorkgroupSize: Int, maxSharedMemory: Int, deviceLocalBytes: Int) {
        self.index = index
        self.name = name
        self.kind = kind
        self.apiVersion = apiVersion
        self.features = features
        self.maxStorageBufferRange = maxStorageBufferRange
        self.maxWorkgroupSize = maxWorkgroupSize
        self.maxSharedMemory = maxSharedMemory
        self.deviceLocalBytes = deviceLocalBytes
    }

    /// "index: name (kind)".
    public var description: String { "\(index): \(name) (\(kind))" }
}

extension VulkanInstance {
    /// Describes the physical device `device` at enumeration position `index`.
    func describe(_ device: VkPhysicalDevice, index: Int) -> VulkanDeviceInfo {
        var props = VkPhysicalDeviceProperties()
        getPhysicalDeviceProperties(device, &props)
        let name = withUnsafeBytes(of: props.deviceName) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let kind: VulkanDeviceInfo.Kind
        switch props.deviceType {
        case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: kind = .discrete
        case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: kind = .integrated
        case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: kind = .virtual
        case VK_PHYSICAL_DEVICE_TYPE_CPU: kind = .cpu
        default: kind = .other
        }
        let extensions = deviceExtensions(device)
        var features = VulkanDeviceFeatures()
        let dotAvailable = extensions.contains("VK_KHR_shader_integer_dot_product")
        features.cooperativeMatrix = extensions.contains("VK_KHR_cooperative_matrix")
            || extensions.contains("VK_NV_cooperative_matrix")
        features.memoryBudget = extensions.contains("VK_EXT_memory_budget")
        let deviceAPI = min(props.apiVersion, apiVersion)
        if deviceAPI >= vkMakeAPIVersion(0, 1, 1, 0), let getProperties2 = getPhysicalDeviceProperties2 {
            var subgroup = VkPhysicalDeviceSubgroupProperties()
            subgroup.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES
            withUnsafeMutablePointer(to: &subgroup) { sp in
                var p2 = VkPhysicalDeviceProperties2()
                p2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2
                p2.pNext = UnsafeMutableRawPointer(sp)
                getProperties2(device, &p2)
            }
            features.subgroupSize = Int(subgroup.subgroupSize)
            features.subgroupInCompute = subgroup.supportedStages & VK_SHADER_STAGE_COMPUTE_BIT.rawValue != 0
            let ops: [(VkSubgroupFeatureFlagBits, String)] = [
                (VK_SUBGROUP_FEATURE_BASIC_BIT, "basic"), (VK_SUBGROUP_FEATURE_VOTE_BIT, "vote"),
                (VK_SUBGROUP_FEATURE_ARITHMETIC_BIT, "arithmetic"), (VK_SUBGROUP_FEATURE_BALLOT_BIT, "ballot"),
                (VK_SUBGROUP_FEATURE_SHUFFLE_BIT, "shuffle"), (VK_SUBGROUP_FEATURE_SHUFFLE_RELATIVE_BIT, "shuffle_relative"),
                (VK_SUBGROUP_FEATURE_CLUSTERED_BIT, "clustered"), (VK_SUBGROUP_FEATURE_QUAD_BIT, "quad"),
            ]
            features.subgroupOperations = ops.filter { subgroup.supportedOperations & $0.0.rawValue != 0 }.map(\.1)
            if dotAvailable {
                var dot = VkPhysicalDeviceShaderIntegerDotProductProperties()
                dot.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_PROPERTIES
                Self.chained(&dot) { getProperties2(device, &$0) }
                features.integerDotProductAccelerated = dot.integerDotProduct4x8BitPackedSignedAccelerated != 0
                    && dot.integerDotProduct4x8BitPackedMixedSignednessAccelerated != 0
            }
        }
        if deviceAPI >= vkMakeAPIVersion(0, 1, 2, 0), let getFeatures2 = getPhysicalDeviceFeatures2 {
            var f11 = VkPhysicalDeviceVulkan11Features()
            f11.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_1_FEATURES
            var f12 = VkPhysicalDeviceVulkan12Features()
            f12.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES
            withUnsafeMutablePointer(to: &f11) { p11 in
                withUnsafeMutablePointer(to: &f12) { p12 in
                    p11.pointee.pNext = UnsafeMutableRawPointer(p12)
                    var f2 = VkPhysicalDeviceFeatures2()
                    f2.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2
                    f2.pNext = UnsafeMutableRawPointer(p11)
                    getFeatures2(device, &f2)
                    p11.pointee.pNext = nil
                }
            }
            features.storage16Bit = f11.storageBuffer16BitAccess != 0
            features.storage8Bit = f12.storageBuffer8BitAccess != 0
            features.float16 = f12.shaderFloat16 != 0
            features.int8 = f12.shaderInt8 != 0
            if dotAvailable {
                var dot = VkPhysicalDeviceShaderIntegerDotProductFeatures()
                dot.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SHADER_INTEGER_DOT_PRODUCT_FEATURES
                Self.chained(&dot) { getFeatures2(device, &$0) }
                features.integerDotProduct = dot.shaderIntegerDotProduct != 0
            }
        }
        var memory = VkPhysicalDeviceMemoryProperties()
        getPhysicalDeviceMemoryProperties(device, &memory)
        var localBytes = 0
        withUnsafeBytes(of: memory.memoryHeaps) { raw in
            let heaps = raw.bindMemory(to: VkMemoryHeap.self)
            for i in 0..<min(Int(memory.memoryHeapCount), heaps.count)
            where heaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT.rawValue != 0 {
                localBytes = max(localBytes, Int(heaps[i].size))
            }
        }
        return VulkanDeviceInfo(
            index: index, name: name, kind: kind, apiVersion: vkVersionString(props.apiVersion),
            features: features,
            maxStorageBufferRange: Int(props.limits.maxStorageBufferRange),
            maxWorkgroupSize: Int(props.limits.maxComputeWorkGroupSize.0),
            maxSharedMemory: Int(props.limits.maxComputeSharedMemorySize),
            deviceLocalBytes: localBytes)
    }

    /// Calls `query` with a `VkPhysicalDeviceProperties2` or `…Features2` (`Outer`) whose chain
    /// is `value` alone, so that the driver fills `value`.
    private static func chained<Value, Outer: VulkanChainHead>(_ value: inout Value, _ query: (inout Outer) -> Void) {
        withUnsafeMutablePointer(to: &value) { vp in
            var outer = Outer(next: UnsafeMutableRawPointer(vp))
            query(&outer)
        }
    }

    /// The extensions a physical device supports.
    func deviceExtensions(_ device: VkPhysicalDevice) -> Set<String> {
        var count: UInt32 = 0
        guard enumerateDeviceExtensionProperties(device, nil, &count, nil) == VK_SUCCESS, count > 0 else { return [] }
        var props = [VkExtensionProperties](repeating: VkExtensionProperties(), count: Int(count))
        guard enumerateDeviceExtensionProperties(device, nil, &count, &props) == VK_SUCCESS else { return [] }
        return Set(props.prefix(Int(count)).map { p in
            withUnsafeBytes(of: p.extensionName) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        })
    }
}

/// `VkPhysicalDeviceProperties2` and `VkPhysicalDeviceFeatures2`, made with their sType and a
/// `pNext` chain.
protocol VulkanChainHead { init(next: UnsafeMutableRawPointer) }

extension VkPhysicalDeviceProperties2: VulkanChainHead {
    init(next: UnsafeMutableRawPointer) {
        self.init()
        sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2
        pNext = next
    }
}

extension VkPhysicalDeviceFeatures2: VulkanChainHead {
    init(next: UnsafeMutableRawPointer) {
        self.init()
        sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2
        pNext = next
    }
}
