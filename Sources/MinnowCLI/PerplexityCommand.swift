import ArgumentParser
import Foundation
import MinnowBackendSDK

/// `minnow perplexity`: perplexity of a text, computed as llama-perplexity does.
struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Perplexity of a text file: non-overlapping windows of --ctx tokens, scoring the second half of each.")

    @OptionGroup var engine: EngineOptions

    @Option(name: .long, help: "The text file.")
    var file: String

    @Option(name: .long, help: "Tokens per window.")
    var ctx: Int = 256

    @Flag(name: .long, help: "Print one JSON object with ppl.")
    var json = false

    func validate() throws {
        if ctx < 4 { throw ValidationError("--ctx must be at least 4") }
    }

    func run() throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let (gguf, model, backend) = try engine.load()
        let tokenizer = try PromptTokenizer(file: gguf)
        let tokens = tokenizer.encode(text, addBOS: true)
        let bos = tokenizer.tokenizer.bosID.map(Int32.init)
        let addBOS = tokenizer.addsBOS
        let start = now()
        let result = try Perplexity.compute(tokens: tokens, context: ctx, bos: addBOS ? bos : nil) { window in
            try engine.session(model, backend, capacity: window.count)
        }
        let seconds = now() - start
        if json {
            try printJSON(["ppl": result.perplexity, "chunks": result.chunks, "ctx": ctx, "tokens": tokens.count,
                           "scoredTokens": result.scored, "seconds": seconds])
        } else {
            print(String(format: "PPL = %.4f (%d chunks of %d tokens, %d scored, %.1f s)", result.perplexity, result.chunks, ctx, result.scored, seconds))
        }
    }
}

