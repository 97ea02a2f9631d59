import MinnowEngine

/// Which backend a caller asks for: the public API's `LoadOptions.Backend` and the `--backend`
/// option of the `minnow` commands both map to this, so they share one policy.
package enum BackendRequest: Sendable, Equatable {
    /// The CPU backend with this many threads (nil: one per core).
    case cpu(threads: Int?)
    /// A Vulkan device; failing to get one is an error.
    case vulkan(device: VulkanDeviceChoice)
    /// A Vulkan GPU (discrete, integrated or virtual) when one can hold the model, else the CPU
    /// with `threads` threads.
    case auto(threads: Int?)

    /// Parses `cpu`, `vulkan` or `auto`; nil for anything else.
    package init?(name: String, threads: Int?) {
        switch name.lowercased() {
        case "cpu": self = .cpu(threads: threads)
        case "vulkan": self = .vulkan(device: .automatic)
        case "auto": self = .auto(threads: threads)
        default: return nil
        }
    }
}

/// A backend that can run the model, and for `.auto` a line saying what was chosen and why.
package struct BackendSelection {
    /// The backend; its weights are not loaded yet.
    package let backend: any Backend
    /// For `.auto`, "backend auto: using Vulkan on …" or "backend auto: using CPU (why)"; nil
    /// for an explicit request.
    package let note: String?
}

/// The backend selection policy.
///
/// `.auto` uses Vulkan only on a GPU: lavapipe and other CPU-type Vulkan devices run the
/// shaders far slower than the native CPU backend. It also needs every weight type to have a
/// kernel, and the weights plus the KV cache to fit the device's memory budget; otherwise it
/// takes the CPU and says why. An explicit `.vulkan` request that cannot be met throws.
package enum BackendSelector {
    /// Device memory reserved beyond the weights and the KV cache, for activations, attention
    /// scores and the readback buffer (a 1.5B model's activations at batch 128 take ~40 MiB).
    package static let workingBytes = 128 << 20

    /// The backend for `request` that can run `model` with a cache of `cacheCapacity` positions.
    /// - Throws: `BackendError` (`.unavailable` saying why, or `.unsupported` for a weight type
    ///   without a kernel, or `.badWeight`) for an explicit Vulkan request that cannot be met.
    /// `cpuKernels` forces the CPU backend's kernel variant (nil: `MINNOW_CPU_KERNELS`, or the best).
    package static func select(
        _ request: BackendRequest, for model: TransformerModel, cacheCapacity: Int, cacheType: KVCacheType,
        cpuKernels: CPUKernelVariant? = nil
    ) throws -> BackendSelection {
        switch request {
        case .cpu(let threads):
            return BackendSelection(backend: try CPUBackend(threads: threads ?? CPUBackend.defaultThreadCount, variant: cpuKernels), note: nil)
        case .vulkan(let device):
            let backend = try openVulkan(device, for: model, cacheCapacity: cacheCapacity, cacheType: cacheType)
            return BackendSelection(backend: backend, note: nil)
        case .auto(let threads):
            do {
                let device = try autoDevice()
                let backend = try openVulkan(device, for: model, cacheCapacity: cacheCapacity, cacheType: cacheType)
                return BackendSelection(backend: backend, note: "backend auto: using Vulkan on \(backend.deviceDescription)")
            } catch {
                let why = (error as? BackendError).map(reason) ?? "\(error)"
                return BackendSelection(backend: try CPUBackend(threads: threads ?? CPUBackend.defaultThreadCount, variant: cpuKernels),
                                        note: "backend auto: using CPU (\(why))")
            }
        }
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
    /// weights and a cache of `cacheCapacity` positions.
    static func openVulkan(
        _ device: VulkanDeviceChoice, for model: TransformerModel, cacheCapacity: Int, cacheType: KVCacheType
    ) throws -> VulkanBackend {
        let backend: VulkanBackend
        do {
            backend = try VulkanBackend(device: device)
        } catch {
            throw BackendError.unavailable(describe(error))
        }
        try backend.validate(model.graph(batchSize: 1, allLogits: false), weights: model.weights)
        let needed = try VulkanWeights.deviceBytes(model.weights)
            + model.cacheSpec(capacity: max(1, cacheCapacity), type: cacheType).byteCount + workingBytes
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
        if let error = error as? BackendError { return reason(error) }
        return "\(error)"
    }

    /// The reason inside `.unavailable`, else the whole description.
    private static func reason(_ error: BackendError) -> String {
        if case .unavailable(let why) = error { return why }
        return error.description
    }
}
