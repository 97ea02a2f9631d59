import Foundation
import Minnow

/// How documents are summarized.
public struct SummaryOptions: Sendable {
    /// Generation parameters of every call (map and reduce).
    public var parameters: GenerationParameters
    /// Whether the model's reasoning is kept in the record's `reasoning` field.
    public var keepsReasoning: Bool
    /// The system prompt.
    public var instructions: String
    /// A conservative estimate of characters per token, used to cut documents into chunks that
    /// fit the context (the public API does not count tokens). A chunk that still does not fit
    /// is halved and retried.
    public var charactersPerToken: Double

    /// Options.
    public init(
        parameters: GenerationParameters, keepsReasoning: Bool = false,
        instructions: String = "You write short, factual summaries. Answer with the summary only, in one to three sentences.",
        charactersPerToken: Double = 3
    ) {
        self.parameters = parameters
        self.keepsReasoning = keepsReasoning
        self.instructions = instructions
        self.charactersPerToken = charactersPerToken
    }
}

/// Summarizes documents one at a time: a document that fits the context in one call, a longer
/// one map-reduce (each chunk summarized, then the chunk summaries combined, recursively when
/// they are long themselves).
///
/// Its calls go to a ``BatchGenerator``. Several summarizers that share one generator (one per
/// worker of `--parallel N`) have their calls evaluated together: the N documents share each
/// forward pass over the weights.
public actor DocumentSummarizer {
    private let model: Model
    private let generator: BatchGenerator
    private let options: SummaryOptions
    private var promptTokens = 0
    private var generatedTokens = 0
    private var reasoning: [String] = []

    /// A summarizer whose calls share `generator` with other summarizers.
    public init(generator: BatchGenerator, options: SummaryOptions) {
        self.model = generator.model
        self.generator = generator
        self.options = options
    }

    /// A summarizer on `model` alone (a generator of one sequence).
    public init(model: Model, options: SummaryOptions) {
        self.init(generator: BatchGenerator(model: model, maxSequences: 1), options: options)
    }

    /// The characters of text one call may take: the context less the answer's tokens and the
    /// prompt's own words, times ``SummaryOptions/charactersPerToken``.
    public var chunkCharacters: Int {
        let tokens = max(64, model.info.contextLength - options.parameters.maxTokens - 128)
        return max(200, Int(Double(tokens) * options.charactersPerToken))
    }

    /// The summary record of `document`.
    public func summarize(_ document: InputDocument) async throws -> SummaryRecord {
        let start = ContinuousClock.now
        promptTokens = 0
        generatedTokens = 0
        reasoning = []
        let text = document.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let summary = text.isEmpty ? "" : try await summarize(text, part: nil, depth: 0)
        let elapsed = ContinuousClock.now - start
        let ms = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        return SummaryRecord(
            id: document.id, summary: summary, promptTokens: promptTokens, generatedTokens: generatedTokens, ms: ms,
            reasoning: options.keepsReasoning ? reasoning.joined(separator: "\n\n") : nil)
    }

    private func summarize(_ text: String, part: (Int, Int)?, depth: Int) async throws -> String {
        let limit = chunkCharacters
        if text.count <= limit {
            let prompt = part.map { "Summarize part \($0.0) of \($0.1) of a longer document:\n\n\(text)" }
                ?? "Summarize this document:\n\n\(text)"
            if let answer = try await call(prompt) { return answer }
            // The text did not fit after all: halve it.
            guard depth < 8, text.count > 100 else { return "" }
            return try await mapReduce(TextChunker.split(text, limit: max(50, text.count / 2 + 1)), depth: depth + 1)
        }
        return try await mapReduce(TextChunker.split(text, limit: limit), depth: depth + 1)
    }

    private func mapReduce(_ chunks: [String], depth: Int) async throws -> String {
        var partials: [String] = []
        for (index, chunk) in chunks.enumerated() {
            let summary = try await summarize(chunk, part: (index + 1, chunks.count), depth: depth)
            if !summary.isEmpty { partials.append(summary) }
        }
        let combined = partials.map { "- " + $0 }.joined(separator: "\n")
        if combined.count > chunkCharacters && depth < 8 {
            return try await summarize(combined, part: nil, depth: depth + 1)
        }
        let prompt = "These are summaries of the consecutive parts of one document:\n\n\(combined)\n\n"
            + "Combine them into one summary of the whole document."
        return try await call(prompt) ?? combined
    }

    /// One call on a fresh conversation (the sequence's KV cache keeps the system prompt); nil
    /// when the prompt did not fit the context.
    private func call(_ prompt: String) async throws -> String? {
        let reply = try await generator.respond(
            to: [.system(options.instructions), .user(prompt)], parameters: options.parameters)
        promptTokens += reply.stats.promptTokens
        generatedTokens += reply.stats.generatedTokens
        if !reply.reasoning.isEmpty { reasoning.append(reply.reasoning) }
        if reply.stats.stopReason == .contextFull && reply.answer.isEmpty { return nil }
        return reply.answer.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
