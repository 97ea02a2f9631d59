import CVulkan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Vulkan instance and the instance-level entry points the backend uses.
package final class VulkanInstance: @unchecked Sendable {
    // Handles and function pointers are immutable after init; Vulkan instance-level queries
    // are externally synchronized only for destruction, which happens in deinit.
    let library: VulkanLibrary
    let handle: VkInstance
    let apiVersion: UInt32
    /// Whether the validation layer is loaded and its errors are counted in `VulkanValidation`.
    package let validationEnabled: Bool
    private var messenger: VkDebugUtilsMessengerEXT?

    let destroyInstance: PFN_vkDestroyInstance
    let enumeratePhysicalDevices: PFN_vkEnumeratePhysicalDevices
    let getPhysicalDeviceProperties: PFN_vkGetPhysicalDeviceProperties
    let getPhysicalDeviceProperties2: PFN_vkGetPhysicalDeviceProperties2?
    let getPhysicalDeviceFeatures2: PFN_vkGetPhysicalDeviceFeatures2?
    let getPhysicalDeviceQueueFamilyProperties: PFN_vkGetPhysicalDeviceQueueFamilyProperties
    let getPhysicalDeviceMemoryProperties: PFN_vkGetPhysicalDeviceMemoryProperties
    let getPhysicalDeviceMemoryProperties2: PFN_vkGetPhysicalDeviceMemoryProperties2?
    let enumerateDeviceExtensionProperties: PFN_vkEnumerateDeviceExtensionProperties
    let createDevice: PFN_vkCreateDevice
    let getDeviceProcAddr: PFN_vkGetDeviceProcAddr

    /// Creates an instance. Validation (`VK_LAYER_KHRONOS_validation`) is enabled when
    /// `validation` is true or `MINNOW_VULKAN_VALIDATION=1`, if the layer is installed; its
    /// errors are counted in `VulkanValidation`. When validation is asked for but cannot be
    /// had (no layer, or no `VK_EXT_debug_utils` to report through), a note says so on stderr.
    package init(validation: Bool = false) throws {
        let library: VulkanLibrary
        switch VulkanLibrary.shared {
        case .success(let l): library = l
        case .failure(let e): throw e
        }
        self.library = library
        let createInstance = try library.load("vkCreateInstance", instance: nil, as: PFN_vkCreateInstance.self)
        let enumerateLayers = try library.load(
            "vkEnumerateInstanceLayerProperties", instance: nil, as: PFN_vkEnumerateInstanceLayerProperties.self)
        let enumerateExtensions = try library.load(
            "vkEnumerateInstanceExtensionProperties", instance: nil, as: PFN_vkEnumerateInstanceExtensionProperties.self)
        var loaderVersion: UInt32 = vkMakeAPIVersion(0, 1, 0, 0)
        if let enumerateVersion = try? library.load(
            "vkEnumerateInstanceVersion", instance: nil, as: PFN_vkEnumerateInstanceVersion.self) {
            _ = enumerateVersion(&loaderVersion)
        }
        let wanted = vkMakeAPIVersion(0, 1, 2, 0)
        let api = min(loaderVersion, wanted)

        let env = getenv("MINNOW_VULKAN_VALIDATION").map { String(cString: $0) } ?? ""
        var layers: [String] = []
        var extensions: [String] = []
        if validation || env == "1" {
            let available = Self.layerNames(enumerateLayers)
            if available.contains("VK_LAYER_KHRONOS_validation") {
                layers.append("VK_LAYER_KHRONOS_validation")
                if Self.extensionNames(enumerateExtensions).contains("VK_EXT_debug_utils") {
                    extensions.append("VK_EXT_debug_utils")
                }
            }
        }
        #if os(macOS)
        if Self.extensionNames(enumerateExtensions).contains("VK_KHR_portability_enumeration") {
            extensions.append("VK_KHR_portability_enumeration")
        }
        #endif

        let arena = CArena()
        var app = VkApplicationInfo()
        app.sType = VK_STRUCTURE_TYPE_APPLICATION_INFO
        app.pApplicationName = arena.cString("Minnow")
        app.pEngineName = arena.cString("Minnow")
        app.apiVersion = api
        var info = VkInstanceCreateInfo()
        info.sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO
        info.pApplicationInfo = UnsafePointer(arena.pointer(app))
        info.enabledLayerCount = UInt32(layers.count)
        info.ppEnabledLayerNames = arena.cStrings(layers)
        info.enabledExtensionCount = UInt32(extensions.count)
        info.ppEnabledExtensionNames = arena.cStrings(extensions)
        #if os(macOS)
        if extensions.contains("VK_KHR_portability_enumeration") { info.flags = 1 }
        #endif
        var instance: VkInstance?
        let result = withExtendedLifetime(arena) { createInstance(&info, nil, &instance) }
        guard result == VK_SUCCESS, let instance else {
            if result == VK_ERROR_INCOMPATIBLE_DRIVER {
                throw VulkanError.unavailable("no Vulkan driver (vkCreateInstance: VK_ERROR_INCOMPATIBLE_DRIVER)")
            }
            throw VulkanError.unavailable("vkCreateInstance failed with \(VulkanError.resultName(result.rawValue))")
        }
        self.handle = instance
        self.apiVersion = api
        // The loader has loaded the driver and layers by now: exit must wait for our calls.
        VulkanExitGuard.registerExitHandler()
        func load<T>(_ name: String, _ type: T.Type) throws -> T {
            try library.load(name, instance: instance, as: type)
        }
        self.destroyInstance = try load("vkDestroyInstance", PFN_vkDestroyInstance.self)
        self.enumeratePhysicalDevices = try load("vkEnumeratePhysicalDevices", PFN_vkEnumeratePhysicalDevices.self)
        self.getPhysicalDeviceProperties = try load("vkGetPhysicalDeviceProperties", PFN_vkGetPhysicalDeviceProperties.self)
        let has11 = api >= vkMakeAPIVersion(0, 1, 1, 0)
        self.getPhysicalDeviceProperties2 = has11 ? try? load("vkGetPhysicalDeviceProperties2", PFN_vkGetPhysicalDeviceProperties2.self) : nil
        self.getPhysicalDeviceFeatures2 = has11 ? try? load("vkGetPhysicalDeviceFeatures2", PFN_vkGetPhysicalDeviceFeatures2.self) : nil
        self.getPhysicalDeviceMemoryProperties2 = has11 ? try? load("vkGetPhysicalDeviceMemoryProperties2", PFN_vkGetPhysicalDeviceMemoryProperties2.self) : nil
        self.getPhysicalDeviceQueueFamilyProperties = try load(
            "vkGetPhysicalDeviceQueueFamilyProperties", PFN_vkGetPhysicalDeviceQueueFamilyProperties.self)
        self.getPhysicalDeviceMemoryProperties = try load(
            "vkGetPhysicalDeviceMemoryProperties", PFN_vkGetPhysicalDeviceMemoryProperties.self)
        self.enumerateDeviceExtensionProperties = try load(
            "vkEnumerateDeviceExtensionProperties", PFN_vkEnumerateDeviceExtensionProperties.self)
        self.createDevice = try load("vkCreateDevice", PFN_vkCreateDevice.self)
        self.getDeviceProcAddr = try load("vkGetDeviceProcAddr", PFN_vkGetDeviceProcAddr.self)
        let installed = extensions.contains("VK_EXT_debug_utils")
            ? VulkanValidation.install(instance: instance, library: library) : nil
        messenger = installed
        validationEnabled = installed != nil
        if (validation || env == "1") && !validationEnabled {
            writeStandardError("vulkan validation: requested but not active (VK_LAYER_KHRONOS_validation "
                + (layers.isEmpty ? "is not installed" : "loaded without VK_EXT_debug_utils to report through") + ")\n")
        }
    }

    deinit {
        VulkanExitGuard.run {
            if let messenger {
                VulkanValidation.uninstall(messenger, instance: handle, library: library)
            }
            destroyInstance(handle, nil)
        }
    }

    /// The physical devices, in the driver's order.
    package func physicalDevices() throws -> [VkPhysicalDevice] {
        var count: UInt32 = 0
        try check(enumeratePhysicalDevices(handle, &count, nil), "vkEnumeratePhysicalDevices")
        var devices = [VkPhysicalDevice?](repeating: nil, count: Int(count))
        try check(enumeratePhysicalDevices(handle, &count, &devices), "vkEnumeratePhysicalDevices")
        return devices.prefix(Int(count)).compactMap { $0 }
    }

    private static func layerNames(_ enumerate: PFN_vkEnumerateInstanceLayerProperties) -> Set<String> {
        var count: UInt32 = 0
        guard enumerate(&count, nil) == VK_SUCCESS, count > 0 else { return [] }
        var props = [VkLayerProperties](repeating: VkLayerProperties(), count: Int(count))
        guard enumerate(&count, &props) == VK_SUCCESS else { return [] }
        return Set(props.prefix(Int(count)).map { p in
            withUnsafeBytes(of: p.layerName) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        })
    }

    private static func extensionNames(_ enumerate: PFN_vkEnumerateInstanceExtensionProperties) -> Set<String> {
        var count: UInt32 = 0
        guard enumerate(nil, &count, nil) == VK_SUCCESS, count > 0 else { return [] }
        var props = [VkExtensionProperties](repeating: VkExtensionProperties(), count: Int(count))
        guard enumerate(nil, &count, &props) == VK_SUCCESS else { return [] }
        return Set(props.prefix(Int(count)).map { p in
            withUnsafeBytes(of: p.extensionName) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        })
    }
}
