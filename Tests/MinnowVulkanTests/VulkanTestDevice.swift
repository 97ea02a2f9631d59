import Foundation
import MinnowVulkan
import Testing

/// The Vulkan device shared by the tests (validation layer on when installed), or the reason
/// there is none. With `MINNOW_REQUIRE_VULKAN=1` (CI) a missing device fails the tests
/// instead of skipping them, and so does a missing validation layer: without it "no
/// validation errors" would be trivially true.
enum VulkanTestDevice {
    static let shared: Result<VulkanDevice, VulkanError> = {
        do {
            let device = try VulkanDevice(validation: true)
            if required && !device.validationEnabled { return .failure(.unavailable(missingValidation)) }
            return .success(device)
        } catch let e as VulkanError {
            return .failure(e)
        } catch {
            return .failure(.unavailable("\(error)"))
        }
    }()

    static let missingValidation = "MINNOW_REQUIRE_VULKAN=1 but the validation layer is not active "
        + "(install vulkan-validationlayers, with VK_EXT_debug_utils): no validation errors would prove nothing"

    /// Expects that the validation layer reported no errors, and, with `MINNOW_REQUIRE_VULKAN=1`,
    /// that it was really loaded (on `device` when given, else somewhere in this process), so
    /// that the count means something.
    static func expectNoValidationErrors(on device: VulkanDevice? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(VulkanValidation.errorCount == 0, sourceLocation: sourceLocation)
        expectValidationActive(on: device, sourceLocation: sourceLocation)
    }

    /// With `MINNOW_REQUIRE_VULKAN=1`, expects the validation layer to be loaded on `device`
    /// (for a backend opened with `MINNOW_VULKAN_VALIDATION=1`), or in this process.
    static func expectValidationActive(on device: VulkanDevice? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        guard required else { return }
        let active = device?.validationEnabled ?? VulkanValidation.isActive
        #expect(active, "\(missingValidation) (is MINNOW_VULKAN_VALIDATION=1 set?)", sourceLocation: sourceLocation)
    }

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
