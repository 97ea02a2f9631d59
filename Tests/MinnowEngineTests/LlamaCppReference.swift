import Foundation
import MinnowTestSupport

/// The llama.cpp reference outputs made by `Scripts/make-engine-fixtures.py`.
struct LlamaCppReference: Decodable {
    struct Prompt: Decodable {
        let text: String
        let ids: [Int32]
        /// llama.cpp's greedy continuation.
        let greedy: [Int32]
        /// At every position of ids + greedy, llama.cpp's highest logits as [id, logit], highest first.
        let top: [[[Double]]]
    }

    struct PerplexityReference: Decodable {
        let ctx: Int
        let ids: [Int32]
        let ppl: Double
    }

    let model: String
    let addsBOS: Bool
    let prompts: [Prompt]
    let perplexity: PerplexityReference

    static func load(_ name: String) throws -> LlamaCppReference {
        let url = TestModels.fixtures.appendingPathComponent("engine/\(name).json")
        return try JSONDecoder().decode(LlamaCppReference.self, from: Data(contentsOf: url))
    }
}
