/// One line of the output JSONL.
public struct SummaryRecord: Codable, Sendable, Equatable {
    /// The document's id.
    public var id: String
    /// The summary, without reasoning.
    public var summary: String
    /// Prompt tokens of every call made for the document (map and reduce).
    public var promptTokens: Int
    /// Tokens generated for the document, reasoning included.
    public var generatedTokens: Int
    /// Wall time for the document, in milliseconds.
    public var ms: Int
    /// The reasoning, with `--keep-reasoning`.
    public var reasoning: String?

    /// A record.
    public init(id: String, summary: String, promptTokens: Int, generatedTokens: Int, ms: Int, reasoning: String? = nil) {
        self.id = id
        self.summary = summary
        self.promptTokens = promptTokens
        self.generatedTokens = generatedTokens
        self.ms = ms
        self.reasoning = reasoning
    }
}
