import ArgumentParser
import Foundation

/// The sequence a command runs on: `--prompt TEXT` or `--ids 1,2,3`, exactly one of them.
struct PromptInput: ParsableArguments {
    @Option(name: .long, help: "The prompt text (tokenized with BOS as the model's metadata says).")
    var prompt: String?

    @Option(name: .long, help: "The prompt as comma-separated token ids, such as 1,2,3, instead of --prompt.")
    var ids: String?

    func validate() throws {
        if (ids == nil) == (prompt == nil) { throw ValidationError("give exactly one of --prompt and --ids") }
    }

    /// The token ids: `--ids` as given, or `--prompt` encoded by `tokenizer` (made only then).
    /// Throws when there are none.
    func tokens(_ tokenizer: @autoclosure () throws -> PromptTokenizer) throws -> [Int32] {
        let tokens = try ids.map(parseIDs) ?? tokenizer().encode(prompt ?? "", addBOS: true)
        guard !tokens.isEmpty else { throw ValidationError("the prompt has no tokens") }
        return tokens
    }
}

/// Token ids given as `1,2,3`.
func parseIDs(_ text: String) throws -> [Int32] {
    try text.split(separator: ",").map {
        guard let id = Int32($0.trimmingCharacters(in: .whitespaces)) else {
            throw ValidationError("--ids: '\($0)' is not a token id")
        }
        return id
    }
}
