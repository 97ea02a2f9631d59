import ArgumentParser
import Foundation
import MinnowEngine

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
        let tokens = try PromptTokenizer(file: gguf).encode(text, addBOS: true)
        let bos = gguf.metadata.int("tokenizer.ggml.bos_token_id").map(Int32.init)
        let addBOS = PromptTokenizer(file: gguf).addsBOS
        let start = now()
        let result = try Perplexity.compute(tokens: tokens, context: ctx, bos: addBOS ? bos : nil) { window in
            let session = try engine.session(model, backend, capacity: window.count)
            return session
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

/// llama-perplexity's computation.
enum Perplexity {
    struct Result {
        var perplexity: Double
        var chunks: Int
        var scored: Int
    }

    /// Splits `tokens` into whole windows of `context` tokens (BOS over each window's first
    /// token when given), evaluates each in a fresh session, and averages the negative log
    /// likelihood of the tokens after position `context / 2`.
    static func compute(tokens: [Int32], context: Int, bos: Int32?, session: ([Int32]) throws -> ModelSession) throws -> Result {
        let chunks = tokens.count / context
        guard chunks > 0 else {
            throw EngineCommandError(description: "the text has \(tokens.count) tokens; at least \(context) are needed")
        }
        var nll = 0.0
        var scored = 0
        let first = context / 2
        for c in 0..<chunks {
            var window = Array(tokens[(c * context)..<((c + 1) * context)])
            if let bos { window[0] = bos }
            let s = try session(window)
            try s.evaluateAll(window) { j, logits in
                guard j >= first && j < context - 1 else { return }
                var maximum = -Float.infinity
                for v in logits { maximum = max(maximum, v) }
                var sum = 0.0
                for v in logits { sum += exp(Double(v - maximum)) }
                let target = Int(window[j + 1])
                nll += log(sum) - Double(logits[target] - maximum)
                scored += 1
            }
        }
        return Result(perplexity: exp(nll / Double(scored)), chunks: chunks, scored: scored)
    }
}
