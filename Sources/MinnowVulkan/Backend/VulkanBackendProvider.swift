import MinnowEngine

/// The Vulkan backend as a ``BackendProvider``.
///
/// For `.auto` (``device`` nil) it runs only on a GPU: lavapipe and other CPU-type Vulkan
/// devices run the shaders far slower than the CPU backend. It also needs every weight type to
/// have a kernel, and the weights plus the KV cache to fit the device's memory budget; otherwise
/// its probe says why, and selection takes the next provider. An explicit device that cannot
/// be used makes ``makeBackend(for:)`` throw.
package struct VulkanBackendProvider: BackendProvider {
    /// `vulkan`.
    package let name = "vulkan"
    /// `Vulkan`.
    package let displayName = "Vulkan"
    /// The device asked for; nil: `MINNOW_VULKAN_DEVICE`, else the preferred GPU (never a
    /// CPU-type device).
    package var device: VulkanDeviceChoice?

    /// Device memory reserved beyond the weights and the KV cache, for activations, attention
    /// scores and the readback buffer (a 1.5B model's activations at batch 128 take ~40 MiB).
    package static let workingBytes = 128 << 20

    /// A provider of `device` (nil: the `.auto` choice).
    package init(device: VulkanDeviceChoice? = nil) {
        self.device = device
    }

    /// ``BackendProbeResult/gpuScore`` when a GPU can hold the model, else why not.
    package func probe(_ workload: BackendWorkload) -> BackendProbeResult {
        do {
            _ = try makeBackend(for: workload)
            return .score(BackendProbeResult.gpuScore)
        } catch {
            return .cannotRun(reason: Self.describe(error))
        }
    }

    /// Opens the device, and checks that it has a kernel for every weight and the memory for
    /// the weights and the workload's cache.
    package func makeBackend(for workload: BackendWorkload) throws -> any Backend {
        try Self.open(device ?? Self.autoDevice(), for: workload)
    }

    /// The device `.auto` would use: `MINNOW_VULKAN_DEVICE` when set, else the preferred GPU.
    /// Throws `BackendError.unavailable` when there is no loader, no driver, or only CPU-type
    /// devices.
    static func autoDevice() throws -> VulkanDeviceChoice {
        let devices: [VulkanDeviceInfo]
        do {
            devices = try VulkanDevice.available()
        } catch {
            throw BackendError.unavailable(describe(error))
        }
        return try autoDevice(from: devices, named: VulkanDeviceChoice.fromEnvironment)
    }

    /// The `.auto` choice among `devices`: `named` (the user's choice, whatever its kind) when
    /// given, else the preferred device that is not CPU-type.
    package static func autoDevice(from devices: [VulkanDeviceInfo], named: VulkanDeviceChoice?) throws -> VulkanDeviceChoice {
        if let named {
            do {
                return .index(try named.select(from: devices).index)
            } catch {
                throw BackendError.unavailable(describe(error))
            }
        }
        let gpus = devices.filter { $0.kind != .cpu }
        guard let picked = try? VulkanDeviceChoice.automatic.select(from: gpus) else {
            if devices.isEmpty { throw BackendError.unavailable("Vulkan unavailable: the Vulkan driver reports no device") }
            let names = devices.map { "\($0.name) (\($0.kind))" }.joined(separator: ", ")
            throw BackendError.unavailable("Vulkan unavailable: no GPU, only \(names), which is slower than the CPU backend")
        }
        return .index(picked.index)
    }

    /// Opens `device`, checks that it has a kernel for every weight and the memory for the
    /// weights and the workload's cache.
    static func open(_ device: VulkanDeviceChoice, for workload: BackendWorkload) throws -> VulkanBackend {
        let backend: VulkanBackend
        do {
            backend = try VulkanBackend(device: device)
        } catch {
            throw BackendError.unavailable(describe(error))
        }
        try backend.validate(workload.graph, weights: workload.weights)
        var cache = workload.cache
        cache.capacity = max(1, cache.capacity)
        let needed = try VulkanWeights.deviceBytes(workload.weights) + cache.byteCount + workingBytes
        let available = backend.device.availableDeviceMemory()
        guard needed <= available else {
            throw BackendError.unavailable(
                VulkanError.outOfDeviceMemory(requestedBytes: needed, availableBytes: available).description
                + " on \(backend.device.info.name) (weights, KV cache and working buffers)")
        }
        return backend
    }

    /// A Vulkan error's description ("Vulkan unavailable: …", "no Vulkan device matches …").
    private static func describe(_ error: any Error) -> String {
        if let error = error as? BackendError { return error.reason }
        return "\(error)"
    }
}
