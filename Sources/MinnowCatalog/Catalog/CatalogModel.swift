/// A model known by name: what it is and where its GGUF file can be fetched.
public struct CatalogModel: Sendable, Equatable, Identifiable {
    /// The catalog name, such as `deepseek-r1-distill-qwen-1.5b`.
    public var name: String
    /// One line about the model.
    public var summary: String
    /// The approximate size of the file, in bytes, for messages.
    public var approximateBytes: Int
    /// Where to fetch it, tried in order.
    public var sources: [ModelSource]

    /// The catalog name.
    public var id: String { name }

    /// A catalog entry.
    public init(name: String, summary: String, approximateBytes: Int, sources: [ModelSource]) {
        self.name = name
        self.summary = summary
        self.approximateBytes = approximateBytes
        self.sources = sources
    }
}
