import Foundation
import MinnowGGUF
import MinnowTokenizer

/// Turns prompt text into token ids and ids back into text for the engine commands.
struct PromptTokenizer {
    let file: GGUFFile
    let tokenizer: Tokenizer

    /// The model's tokenizer, from its GGUF metadata.
    init(file: GGUFFile) throws {
        self.file = file
        tokenizer = try Tokenizer(gguf: file)
    }

    /// Whether the model wants BOS first (`tokenizer.ggml.add_bos_token`).
    var addsBOS: Bool { tokenizer.addsBOS }

    /// The ids of `text`, with BOS first when `addBOS` and the model's metadata asks for it.
    /// Special-token spellings are plain text (raw completion).
    func encode(_ text: String, addBOS: Bool) -> [Int32] {
        tokenizer.encode(text, addSpecial: addBOS, parseSpecial: false).map { Int32($0) }
    }

    /// The text of `ids` (invalid UTF-8 replaced).
    func decode(_ ids: [Int32]) -> String {
        (try? tokenizer.decode(ids.map(Int.init))) ?? ""
    }

    /// Whether `id` ends generation (EOS or end-of-turn).
    func isEndOfGeneration(_ id: Int32) -> Bool { tokenizer.isEndOfGeneration(Int(id)) }
}
