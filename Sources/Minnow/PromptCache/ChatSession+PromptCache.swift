import Foundation
import MinnowEngine

extension ChatSession {
    /// Saves the conversation (its transcript) and its KV cache to a prompt cache file, written
    /// atomically. ``restoring(from:model:parameters:contextOverflow:)`` puts it back later, in
    /// this process or another, so that the next turn evaluates only its new tokens.
    ///
    /// Waits for a running answer to end first.
    /// - Throws: ``PromptCacheError``.
    public func savePromptCache(to url: URL) async throws {
        await acquire()
        defer { queue.release() }
        let session = try evaluation ?? model.runtime.makeSession()
        evaluation = session
        var header = PromptCacheStore.header(.chatSession, model: model)
        header.transcript = transcript
        header.firstShownTurn = firstShownTurn
        try PromptCacheStore.save(session, header: header, to: url)
    }

    /// A conversation restored from a file that ``savePromptCache(to:)`` wrote: its transcript
    /// and its KV cache, so that the first new message evaluates only its own tokens.
    ///
    /// - Throws: ``PromptCacheError``: ``PromptCacheError/modelMismatch(saved:current:)`` when
    ///   the file was saved from another model, ``PromptCacheError/cacheTypeMismatch(saved:current:)``
    ///   for another KV cache type, ``PromptCacheError/truncated(expectedBytes:actualBytes:)`` or
    ///   ``PromptCacheError/corrupted(_:)`` for a damaged file. Nothing is restored then.
    public static func restoring(
        from url: URL, model: Model, parameters: GenerationParameters = .init(),
        contextOverflow: ContextOverflowPolicy = .stop
    ) async throws -> ChatSession {
        let session = try model.runtime.makeSession()
        let header = try PromptCacheStore.restore(from: url, kind: .chatSession, model: model, into: session)
        let transcript = header.transcript ?? []
        let chat = ChatSession(model: model, transcript: transcript, parameters: parameters,
                               contextOverflow: contextOverflow)
        let shown = min(max(header.firstShownTurn ?? 0, 0), transcript.count)
        await chat.install(session, firstShownTurn: shown)
        return chat
    }

    /// Evaluates the instructions (the system message) now, so that they are in the KV cache
    /// before the first message: for ``savePromptCache(to:)`` of a long system prompt, or to
    /// take that time before the user asks.
    /// - Throws: ``ChatSessionError``.
    public func prepare() async throws {
        await acquire()
        defer { queue.release() }
        guard let first = transcript.first, first.role == .system else { return }
        let text: String
        do {
            text = try model.renderer.render([.system(first.content)], addGenerationPrompt: false)
        } catch {
            throw ChatSessionError.templateFailed("\(error)")
        }
        let tokens: [Int32]
        do {
            tokens = try model.codec.encodePrompt(text)
        } catch {
            throw ChatSessionError.tokenizationFailed("\(error)")
        }
        let session = try evaluation ?? model.runtime.makeSession()
        evaluation = session
        var common = 0
        let cached = session.tokens
        while common < min(cached.count, tokens.count) && cached[common] == tokens[common] { common += 1 }
        session.truncate(to: common)
        guard common < tokens.count else { return }
        do {
            _ = try session.evaluate(Array(tokens[common...]), shouldContinue: { !Task.isCancelled })
        } catch let error as EvaluationError {
            throw ChatSessionError.evaluationFailed("\(error)")
        }
    }

    private func install(_ session: any EvaluationSession, firstShownTurn: Int) {
        evaluation = session
        self.firstShownTurn = firstShownTurn
    }
}
