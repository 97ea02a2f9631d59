import MinnowEngine

/// Where a model runs (``LoadOptions/backend``).
public enum BackendChoice: Sendable {
    /// The best available: every provider (the app's ``LoadOptions/backendProviders`` and the
    /// built-in Vulkan and CPU ones) is probed and the highest score wins. The built-in Vulkan
    /// provider runs only on a GPU (discrete, integrated or virtual, not lavapipe) that has a
    /// kernel for every weight type and the memory for the weights and the KV cache, and then
    /// outscores the CPU. ``ModelInfo/backendNote`` says which and why.
    case auto
    /// The CPU backend, with `threads` worker threads (nil: one per core) and the matrix
    /// kernels of `kernels` (nil: the standard registry; an app registers its own kernels in a
    /// copy of `CPUKernelRegistry.standard`).
    case cpu(threads: Int? = nil, kernels: CPUKernelRegistry? = nil)
    /// A Vulkan device, by enumeration index (nil: the preferred one, discrete first, or
    /// `MINNOW_VULKAN_DEVICE`). When it cannot be used (no loader, driver or device, a weight
    /// type without a kernel, too little device memory), loading throws
    /// ``ModelError/backendUnavailable(_:)`` saying why (also in a build without the package's
    /// `Vulkan` trait).
    case vulkan(device: Int? = nil)
    /// The backend of one provider, without ranking (an app's backend, a benchmark's). When it
    /// cannot run the model, loading throws ``ModelError/backendUnavailable(_:)``.
    case provider(any BackendProvider)
}
