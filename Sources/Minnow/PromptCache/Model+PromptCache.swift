import Foundation
import MinnowEngine

extension Model {
    /// Evaluates `prompt` (raw, as ``generate(prompt:parameters:)`` reads it: no template, BOS
    /// as the metadata says) and saves its tokens with their KV cache to a prompt cache file,
    /// written atomically. The prompt stays in the cache of this model's completions.
    /// - Throws: ``PromptCacheError``, or ``ChatSessionError`` when the prompt cannot be
    ///   evaluated.
    public func savePromptCache(prompt: String, to url: URL) async throws {
        try await completions.savePrefix(prompt: prompt, model: self, to: url)
    }

    /// Puts a token prefix saved by ``savePromptCache(prompt:to:)`` into the cache of this
    /// model's completions, so that a ``generate(prompt:parameters:)`` whose prompt starts
    /// with it evaluates only the rest. Returns the number of tokens restored.
    /// - Throws: ``PromptCacheError``; the cache is unchanged then.
    @discardableResult
    public func loadPromptCache(from url: URL) async throws -> Int {
        try await completions.restorePrefix(from: url, model: self)
    }
}

extension CompletionHost {
    func savePrefix(prompt: String, model: Model, to url: URL) async throws {
        await acquire()
        defer { queue.release() }
        let tokens: [Int32]
        do {
            tokens = try codec.encodePrompt(prompt)
        } catch {
            throw ChatSessionError.tokenizationFailed("\(error)")
        }
        let session = try self.session ?? runtime.makeSession()
        self.session = session
        var common = 0
        let cached = session.tokens
        while common < min(cached.count, tokens.count) && cached[common] == tokens[common] { common += 1 }
        session.truncate(to: common)
        if common < tokens.count {
            do {
                _ = try session.evaluate(Array(tokens[common...]), shouldContinue: { !Task.isCancelled })
            } catch let error as EvaluationError {
                throw ChatSessionError.evaluationFailed("\(error)")
            }
        }
        try PromptCacheStore.save(session, header: PromptCacheStore.header(.tokenPrefix, model: model), to: url)
    }

    func restorePrefix(from url: URL, model: Model) async throws -> Int {
        await acquire()
        defer { queue.release() }
        // A fresh session: a refused file leaves the current cache as it was.
        let restored = try runtime.makeSession()
        let header = try PromptCacheStore.restore(from: url, kind: .tokenPrefix, model: model, into: restored)
        session = restored
        return header.tokenCount
    }
}
