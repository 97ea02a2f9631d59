import MinnowEngine
#if Vulkan
import MinnowVulkan
#endif

extension BackendChoice {
    /// The built-in providers `.auto` ranks, in order of preference on equal scores: Vulkan
    /// (its `.auto` device), then the CPU.
    package static func builtInProviders(threads: Int? = nil, kernels: CPUKernelRegistry = .standard,
                                         cpuKernels: CPUKernelVariant? = nil) -> [any BackendProvider] {
        autoVulkanProviders() + [CPUBackendProvider(threads: threads, kernels: kernels, variant: cpuKernels)]
    }

    /// The Vulkan provider of `.auto` (GPUs only), or none in a build without the `Vulkan`
    /// package trait.
    private static func autoVulkanProviders() -> [any BackendProvider] {
        #if Vulkan
        return [VulkanBackendProvider()]
        #else
        return []
        #endif
    }

    /// The Vulkan provider of device `index` (nil: the preferred device, of any kind), or none
    /// in a build without the `Vulkan` package trait.
    private static func explicitVulkanProviders(device index: Int?) -> [any BackendProvider] {
        #if Vulkan
        return [VulkanBackendProvider(device: index.map(VulkanDeviceChoice.index) ?? .automatic)]
        #else
        return []
        #endif
    }

    /// The built-in providers an explicit choice names: any Vulkan device (lavapipe too), the CPU.
    package static func explicitProviders(threads: Int? = nil, cpuKernels: CPUKernelVariant? = nil) -> [any BackendProvider] {
        explicitVulkanProviders(device: nil) + [CPUBackendProvider(threads: threads, variant: cpuKernels)]
    }

    /// The choice a `--backend` option names: `auto`, or a built-in provider's name.
    public init?(name: String, threads: Int? = nil, cpuKernels: CPUKernelVariant? = nil) {
        let name = name.lowercased()
        if name == "auto" {
            self = .auto
            return
        }
        let providers = Self.explicitProviders(threads: threads, cpuKernels: cpuKernels)
        guard let provider = providers.first(where: { $0.name == name }) else { return nil }
        self = .provider(provider)
    }

    /// The names `init(name:threads:cpuKernels:)` takes.
    public static var names: [String] { ["auto"] + explicitProviders().map(\.name) }

    /// The backend this choice gives for `workload`; `.auto` ranks `providers` (the app's)
    /// before the built-in ones.
    /// `threads` is the CPU's thread count for `.auto` (nil: one per core).
    public func select(for workload: BackendWorkload, providers: [any BackendProvider] = [], threads: Int? = nil,
                        cpuKernels: CPUKernelVariant? = nil) throws -> BackendSelection {
        switch self {
        case .auto:
            let builtIn = Self.builtInProviders(threads: threads, cpuKernels: cpuKernels)
            return try BackendSelector.select(from: providers + builtIn, for: workload)
        case .cpu(let threads, let kernels):
            return try BackendSelector.open(
                CPUBackendProvider(threads: threads, kernels: kernels ?? .standard, variant: cpuKernels), for: workload)
        case .vulkan(let device):
            guard let vulkan = Self.explicitVulkanProviders(device: device).first else {
                throw BackendError.unavailable("Vulkan unavailable: Minnow was built without its Vulkan trait")
            }
            return try BackendSelector.open(vulkan, for: workload)
        case .provider(let provider):
            return try BackendSelector.open(provider, for: workload)
        }
    }
}

extension BackendChoice {
    /// The backend this choice gives for `model` with a cache of `cacheCapacity` positions
    /// (the library's loader and the `minnow` commands share this policy).
    public func select(for model: TransformerModel, cacheCapacity: Int, cacheType: KVCacheType,
                        providers: [any BackendProvider] = [], threads: Int? = nil,
                        cpuKernels: CPUKernelVariant? = nil) throws -> BackendSelection {
        let workload = BackendWorkload(graph: try model.graph(batchSize: 1, allLogits: false), weights: model.weights,
                                       cache: model.cacheSpec(capacity: cacheCapacity, type: cacheType))
        return try select(for: workload, providers: providers, threads: threads, cpuKernels: cpuKernels)
    }
}
