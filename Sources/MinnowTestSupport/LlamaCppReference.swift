import Foundation

/// The llama.cpp reference outputs made by `Scripts/make-engine-fixtures.py`
/// (`Tests/Fixtures/engine/<name>.json`), shared by the CPU and Vulkan agreement tests.
public struct LlamaCppReference: Decodable, Sendable {
    /// One prompt and llama.cpp's outputs on it.
    public struct Prompt: Decodable, Sendable {
        /// The prompt text.
        public let text: String
        /// Its token ids.
        public let ids: [Int32]
        /// llama.cpp's greedy continuation.
        public let greedy: [Int32]
        /// At every position of ids + greedy, llama.cpp's highest logits as [id, logit], highest first.
        public let top: [[[Double]]]
    }

    /// A perplexity measurement.
    public struct PerplexityReference: Decodable, Sendable {
        /// The window length.
        public let ctx: Int
        /// The text's token ids.
        public let ids: [Int32]
        /// llama.cpp's perplexity.
        public let ppl: Double
    }

    /// The model file.
    public let model: String
    /// Whether the model adds BOS.
    public let addsBOS: Bool
    /// The prompts.
    public let prompts: [Prompt]
    /// llama.cpp's perplexity on a text.
    public let perplexity: PerplexityReference

    /// Reads `Tests/Fixtures/engine/<name>.json`.
    public static func load(_ name: String) throws -> LlamaCppReference {
        let url = TestModels.fixtures.appendingPathComponent("engine/\(name).json")
        return try JSONDecoder().decode(LlamaCppReference.self, from: Data(contentsOf: url))
    }
}
