import CVulkan
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts the errors reported by the Khronos validation layer, so tests can fail on them.
package enum VulkanValidation {
    private static let errors = Atomic<Int>(0)
    private static let messengers = Atomic<Int>(0)

    /// Validation errors reported since the process started.
    package static var errorCount: Int { errors.load(ordering: .relaxed) }

    /// Whether the validation layer is loaded and reporting to ``errorCount`` in this process
    /// (some instance has installed its messenger). When it is not, "no validation errors"
    /// proves nothing.
    package static var isActive: Bool { messengers.load(ordering: .relaxed) > 0 }

    fileprivate static func record() { errors.add(1, ordering: .relaxed) }

    static func install(instance: VkInstance, library: VulkanLibrary) -> VkDebugUtilsMessengerEXT? {
        guard let create = try? library.load(
            "vkCreateDebugUtilsMessengerEXT", instance: instance, as: PFN_vkCreateDebugUtilsMessengerEXT.self)
        else { return nil }
        var info = VkDebugUtilsMessengerCreateInfoEXT()
        info.sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT
        info.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT.rawValue
            | VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT.rawValue
        info.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT.rawValue
            | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT.rawValue
        info.pfnUserCallback = { severity, _, data, _ in
            let message = data.flatMap { $0.pointee.pMessage }.map { String(cString: $0) } ?? "?"
            if severity.rawValue & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT.rawValue != 0 {
                VulkanValidation.record()
                writeStandardError("vulkan validation error: \(message)\n")
            } else {
                writeStandardError("vulkan validation warning: \(message)\n")
            }
            return VkBool32(VK_FALSE)
        }
        var messenger: VkDebugUtilsMessengerEXT?
        guard create(instance, &info, nil, &messenger) == VK_SUCCESS else { return nil }
        messengers.add(1, ordering: .relaxed)
        return messenger
    }

    static func uninstall(_ messenger: VkDebugUtilsMessengerEXT, instance: VkInstance, library: VulkanLibrary) {
        if let destroy = try? library.load(
            "vkDestroyDebugUtilsMessengerEXT", instance: instance, as: PFN_vkDestroyDebugUtilsMessengerEXT.self) {
            destroy(instance, messenger, nil)
        }
    }
}

/// Writes `text` to standard error without touching the C `stderr` global.
func writeStandardError(_ text: String) {
    var copy = text
    copy.withUTF8 { bytes in
        _ = write(2, bytes.baseAddress, bytes.count)
    }
}
