/// What Minnow knows about a loaded model.
public struct ModelInfo: Sendable, Equatable {
    /// The model's name from its metadata (`general.name`), or the file name.
    public var name: String
    /// The architecture, such as `qwen2` or `llama`.
    public var architecture: String
    /// The context window of a session, in tokens (the KV cache size).
    public var contextLength: Int
    /// The context length the model was trained with.
    public var trainedContextLength: Int
    /// The number of tokens in the vocabulary.
    public var vocabularySize: Int
    /// The size of the model file in bytes.
    public var fileSize: Int
    /// The backend and the device it runs on, such as `vulkan: llvmpipe (LLVM 15.0.6, 256 bits) (CPU, Vulkan 1.3.230, subgroup 8)`.
    public var backend: String
    /// With ``BackendChoice/auto``, which backend was chosen and why, such as
    /// `backend auto: using CPU (Vulkan unavailable: no Vulkan loader …)`; nil otherwise.
    public var backendNote: String?
    /// On the CPU backend, the instruction-set variant of its matrix kernels (`avx512`, `avx2`,
    /// `neon` or `portable`); nil on other backends.
    public var cpuKernels: String?

    /// A description of a model.
    public init(
        name: String, architecture: String, contextLength: Int, trainedContextLength: Int,
        vocabularySize: Int, fileSize: Int, backend: String = "", backendNote: String? = nil, cpuKernels: String? = nil
    ) {
        self.cpuKernels = cpuKernels
        self.name = name
        self.architecture = architecture
        self.contextLength = contextLength
        self.trainedContextLength = trainedContextLength
        self.vocabularySize = vocabularySize
        self.fileSize = fileSize
        self.backend = backend
        self.backendNote = backendNote
    }
}
