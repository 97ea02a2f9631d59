import CVulkan

/// Errors raised by the Vulkan backend.
public enum VulkanError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No usable Vulkan: the loader, a driver or a device is missing. The reason says which.
    case unavailable(String)
    /// A Vulkan call failed with `result`.
    case callFailed(function: String, result: Int32)
    /// The loader lacks an entry point the backend needs.
    case missingFunction(String)
    /// No device matches the requested index or name.
    case noSuchDevice(requested: String, available: [String])
    /// The device has not enough memory for what is being allocated.
    case outOfDeviceMemory(requestedBytes: Int, availableBytes: Int)
    /// The model uses a tensor type the backend has no kernel for.
    case unsupportedType(String)
    /// A shape or argument the kernels cannot handle.
    case invalidArgument(String)
    /// A shader variant is missing from the embedded SPIR-V.
    case missingShader(String)

    /// A readable description.
    public var description: String {
        switch self {
        case .unavailable(let reason): return "Vulkan unavailable: \(reason)"
        case .callFailed(let function, let result):
            return "\(function) failed with \(VulkanError.resultName(result))"
        case .missingFunction(let name): return "the Vulkan loader has no \(name)"
        case .noSuchDevice(let requested, let available):
            return "no Vulkan device matches '\(requested)'; available: "
                + (available.isEmpty ? "none" : available.enumerated().map { "\($0.offset): \($0.element)" }.joined(separator: ", "))
        case .outOfDeviceMemory(let requested, let available):
            return "out of device memory: \(requested / 1_048_576) MiB needed, \(available / 1_048_576) MiB available"
        case .unsupportedType(let type): return "the Vulkan backend does not support \(type)"
        case .invalidArgument(let what): return "invalid argument: \(what)"
        case .missingShader(let name): return "shader \(name) is not embedded; run Scripts/compile-shaders.sh"
        }
    }

    /// The name of a `VkResult` code.
    static func resultName(_ result: Int32) -> String {
        switch result {
        case -1: return "VK_ERROR_OUT_OF_HOST_MEMORY"
        case -2: return "VK_ERROR_OUT_OF_DEVICE_MEMORY"
        case -3: return "VK_ERROR_INITIALIZATION_FAILED"
        case -4: return "VK_ERROR_DEVICE_LOST"
        case -5: return "VK_ERROR_MEMORY_MAP_FAILED"
        case -6: return "VK_ERROR_LAYER_NOT_PRESENT"
        case -7: return "VK_ERROR_EXTENSION_NOT_PRESENT"
        case -8: return "VK_ERROR_FEATURE_NOT_PRESENT"
        case -9: return "VK_ERROR_INCOMPATIBLE_DRIVER"
        case -10: return "VK_ERROR_TOO_MANY_OBJECTS"
        case 2: return "VK_TIMEOUT"
        default: return "VkResult \(result)"
        }
    }
}

/// Throws `VulkanError.callFailed` unless `result` is `VK_SUCCESS`.
@inline(__always)
func check(_ result: VkResult, _ function: String) throws {
    guard result == VK_SUCCESS else {
        if result == VK_ERROR_OUT_OF_DEVICE_MEMORY {
            throw VulkanError.outOfDeviceMemory(requestedBytes: 0, availableBytes: 0)
        }
        throw VulkanError.callFailed(function: function, result: result.rawValue)
    }
}
