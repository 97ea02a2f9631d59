import Foundation
import MinnowVulkan
import Testing

/// The Vulkan device shared by the tests (validation layer on when installed), or the reason
/// there is none. With `MINNOW_REQUIRE_VULKAN=1` (CI) a missing device fails the tests
/// instead of skipping them.
enum VulkanTestDevice {
    static let shared: Result<VulkanDevice, VulkanError> = {
        do { return .success(try VulkanDevice(validation: true)) } catch let e as VulkanError {
            return .failure(e)
        } catch {
            return .failure(.unavailable("\(error)"))
        }
    }()

    static var required: Bool { ProcessInfo.processInfo.environment["MINNOW_REQUIRE_VULKAN"] == "1" }

    /// Whether the Vulkan tests should run; prints why not when they skip.
    static var available: Bool {
        switch shared {
        case .success: return true
        case .failure(let e):
            if required { return true }
            FileHandle.standardError.write(Data("note: skipping Vulkan tests: \(e)\n".utf8))
            return false
        }
    }

    /// The device, or a thrown error (a failure when Vulkan is required).
    static func device() throws -> VulkanDevice { try shared.get() }

    /// A device description for selection tests (no real device behind it).
    static func info(_ index: Int, _ name: String, _ kind: VulkanDeviceInfo.Kind) -> VulkanDeviceInfo {
        VulkanDeviceInfo(index: index, name: name, kind: kind, apiVersion: "1.3.0", features: VulkanDeviceFeatures(),
                         maxStorageBufferRange: 1 << 27, maxWorkgroupSize: 1024, maxSharedMemory: 32768,
                         deviceLocalBytes: 1 << 30)
    }
}
