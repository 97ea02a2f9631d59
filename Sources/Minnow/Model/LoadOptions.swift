import Foundation
import MinnowEngine

/// How to load a model: which backend runs it, and how big its context (KV cache) is.
public struct LoadOptions: Sendable {
    /// Where the model runs.
    public var backend: BackendChoice
    /// Backends the app supplies. ``BackendChoice/auto`` ranks them with the built-in ones
    /// (Vulkan, CPU) by their probes' scores; see `BackendProvider` in `MinnowBackendSDK`.
    public var backendProviders: [any BackendProvider]
    /// The CPU kernel variant (nil: the fastest this CPU supports, unless the
    /// `MINNOW_CPU_KERNELS` environment variable names one). Asking for one this CPU lacks
    /// makes loading throw ``ModelError/backendUnavailable(_:)`` saying which features are missing.
    public var cpuKernels: CPUKernelVariant?
    /// The context window in tokens; nil uses the model's trained length, capped at 4096.
    public var contextLength: Int?
    /// The element type of the KV cache.
    public var kvCacheType: KVCacheType
    /// Whether to check that enough memory is available before mapping the model.
    public var checksAvailableMemory: Bool
    /// A chat template to render chats with instead of the model's own: either a GGUF file
    /// (its `tokenizer.chat_template` and BOS/EOS token texts; only its metadata is read) or a
    /// text file of Jinja source (seeing the model's BOS/EOS texts). Nil uses the model's
    /// template. Useful to try another model family's template (such as an R1 distill's) on
    /// small weights. An unreadable file fails the load; a template that does not parse fails
    /// when a chat renders, as the model's own would.
    public var chatTemplateFile: URL?

    /// Options; by default the backend is chosen automatically (among the built-in ones and
    /// `backendProviders`), the context is the model's (at most 4096 tokens) and the KV cache
    /// is F16.
    public init(
        backend: BackendChoice = .auto, contextLength: Int? = nil, kvCacheType: KVCacheType = .f16,
        checksAvailableMemory: Bool = true, cpuKernels: CPUKernelVariant? = nil,
        backendProviders: [any BackendProvider] = [], chatTemplateFile: URL? = nil
    ) {
        self.chatTemplateFile = chatTemplateFile
        self.backend = backend
        self.backendProviders = backendProviders
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
