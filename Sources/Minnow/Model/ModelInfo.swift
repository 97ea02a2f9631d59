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

    /// A description of a model.
    public init(
        name: String, architecture: String, contextLength: Int, trainedContextLength: Int,
        vocabularySize: Int, fileSize: Int
    ) {
        self.name = name
        self.architecture = architecture
        self.contextLength = contextLength
        self.trainedContextLength = trainedContextLength
        self.vocabularySize = vocabularySize
        self.fileSize = fileSize
    }
}
