import MinnowEngine

/// How to load a model: which backend runs it, and how big its context (KV cache) is.
public struct LoadOptions: Sendable {
    /// Where the model runs.
    public enum Backend: Sendable, Equatable {
        /// The best available: Vulkan on a GPU (discrete, integrated or virtual) that has a kernel
        /// for every weight type and the memory for the weights and the KV cache; else the CPU
        /// (also when the only Vulkan device is a CPU implementation such as lavapipe, which is
        /// slower than the CPU backend). ``ModelInfo/backendNote`` says which and why.
        case auto
        /// The pure-Swift CPU backend, with `threads` worker threads (nil: one per core).
        case cpu(threads: Int? = nil)
        /// A Vulkan device, by enumeration index (nil: the preferred one, discrete first, or
        /// `MINNOW_VULKAN_DEVICE`). When it cannot be used (no loader, driver or device, a weight
        /// type without a kernel, too little device memory), loading throws
        /// ``ModelError/backendUnavailable(_:)`` saying why.
        case vulkan(device: Int? = nil)
        /// A backend instance made by the caller (benchmarks, tests, experimental backends).
        case custom(BackendInstance)
    }

    /// The element type of the KV cache.
    public enum KVCacheType: String, Sendable, Equatable, CaseIterable {
        /// 16-bit floats: half the memory, the default.
        case f16
        /// 32-bit floats.
        case f32

        /// Bytes per stored value.
        public var bytesPerElement: Int { self == .f16 ? 2 : 4 }
    }

    /// Which instruction-set variant of the CPU backend's matrix kernels runs.
    public enum CPUKernels: String, Sendable, Equatable, CaseIterable {
        /// The fastest this CPU supports, unless the `MINNOW_CPU_KERNELS` environment variable
        /// names one: AVX-512 VNNI, else AVX2, else NEON with dot products, else portable.
        case automatic
        /// The pure-Swift SIMD kernels, which run on every CPU.
        case portable
        /// C kernels for AVX2, FMA and F16C.
        case avx2
        /// C kernels for AVX-512 (F, BW, VL) with VNNI.
        case avx512
        /// C kernels for ARM NEON with the dot-product extension.
        case neon
    }

    /// Where the model runs.
    public var backend: Backend
    /// The CPU kernel variant. Asking for one this CPU lacks makes loading throw
    /// ``ModelError/backendUnavailable(_:)`` saying which features are missing.
    public var cpuKernels: CPUKernels
    /// The context window in tokens; nil uses the model's trained length, capped at 4096.
    public var contextLength: Int?
    /// The element type of the KV cache.
    public var kvCacheType: KVCacheType
    /// Whether to check that enough memory is available before mapping the model.
    public var checksAvailableMemory: Bool

    /// Options; by default the backend is chosen automatically, the context is the model's
    /// (at most 4096 tokens) and the KV cache is F16.
    public init(
        backend: Backend = .auto, contextLength: Int? = nil, kvCacheType: KVCacheType = .f16,
        checksAvailableMemory: Bool = true, cpuKernels: CPUKernels = .automatic
    ) {
        self.backend = backend
        self.cpuKernels = cpuKernels
        self.contextLength = contextLength
        self.kvCacheType = kvCacheType
        self.checksAvailableMemory = checksAvailableMemory
    }

    /// The default context length when none is given.
    public static let defaultContextLength = 4096
}

/// How far loading a model has got.
public struct LoadProgress: Sendable, Equatable {
    /// The steps of loading, in order.
    public enum Stage: String, Sendable, Equatable {
        /// Reading the GGUF header and metadata.
        case readingMetadata
        /// Checking available memory.
        case checkingMemory
        /// Building the tokenizer and the chat template.
        case preparingTokenizer
        /// Mapping and preparing the weights for the backend.
        case loadingWeights
        /// Done.
        case ready
    }

    /// The current step.
    public var stage: Stage
    /// The fraction of the whole load done, from 0 to 1.
    public var fractionCompleted: Double

    /// A progress report.
    public init(stage: Stage, fractionCompleted: Double) {
        self.stage = stage
        self.fractionCompleted = fractionCompleted
    }
}

/// A backend instance passed to ``LoadOptions/Backend/custom(_:)``. Made from an engine backend
/// inside the Minnow package.
public struct BackendInstance: Sendable, Equatable {
    package let backend: any MinnowEngine.Backend

    /// Wraps an engine backend.
    package init(_ backend: any MinnowEngine.Backend) {
        self.backend = backend
    }

    /// The backend's name, such as `cpu`.
    public var name: String { backend.name }

    /// Two instances are equal when they wrap the same backend object.
    public static func == (lhs: BackendInstance, rhs: BackendInstance) -> Bool {
        ObjectIdentifier(lhs.backend) == ObjectIdentifier(rhs.backend)
    }
}
