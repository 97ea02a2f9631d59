import Foundation
import MinnowGGUF

/// Turns prompt text into token ids and ids back into text for the engine commands.
struct PromptTokenizer {
    let file: GGUFFile

    /// The ids of `text`, with BOS first when `addBOS` and the model's metadata asks for it.
    func encode(_ text: String, addBOS: Bool) throws -> [Int32] {
        throw EngineCommandError(description: "text prompts need the tokenizer, which is not in this build yet; use --ids")
    }

    /// Whether the model wants BOS first (`tokenizer.ggml.add_bos_token`).
    var addsBOS: Bool { file.metadata.bool("tokenizer.ggml.add_bos_token") ?? false }

    /// The text of `ids`.
    func decode(_ ids: [Int32]) -> String { "" }

    /// Whether `id` ends generation (EOS or end-of-turn).
    func isEndOfGeneration(_ id: Int32) -> Bool {
        if let eos = file.metadata.int("tokenizer.ggml.eos_token_id"), Int(id) == eos { return true }
        if let eot = file.metadata.int("tokenizer.ggml.eot_token_id"), Int(id) == eot { return true }
        return false
    }
}
