import MinnowEngine

/// The draft side of speculative decoding for one host (a chat session, a model's raw
/// completions): the draft model's evaluation session, kept from call to call so that its KV
/// cache is reused like the model's.
final class DraftSlot {
    private let codec: any TextCodec
    private let vocabularySize: Int
    private var draft: Model?
    private var draftVocabularySize: Int?
    private var session: (any EvaluationSession)?

    /// A slot for drafting on behalf of a model with this tokenizer and vocabulary.
    init(codec: any TextCodec, vocabularySize: Int) {
        self.codec = codec
        self.vocabularySize = vocabularySize
    }

    /// The speculation state `parameters` ask for, or nil when they ask for none.
    /// - Throws: ``SpeculativeDecodingError/vocabularyMismatch(_:)`` for a draft model whose
    ///   vocabulary differs.
    func speculation(for parameters: GenerationParameters) throws -> SpeculationState? {
        guard let options = parameters.speculation, options.maxDraftTokens > 0 else { return nil }
        let drafter: any Drafter
        switch options.draft {
        case .promptLookup(let ngram):
            drafter = PromptLookupDrafter(ngram: ngram)
        case .model(let model):
            if draft !== model || draftVocabularySize != options.draftVocabularySize {
                try VocabularyCheck.ensureCompatible(target: codec, vocabularySize: vocabularySize, draft: model)
                session = try makeSession(draft: model, vocabularySize: options.draftVocabularySize)
                draft = model
                draftVocabularySize = options.draftVocabularySize
            }
            guard let session else { return nil }
            var system = SystemRandomNumberGenerator()
            drafter = ModelDrafter(session: session, seed: (parameters.seed ?? system.next()) &+ 0x9E37_79B9_7F4A_7C15)
        }
        return SpeculationState(
            drafter: options.rewriteProposal.map { RewritingDrafter(base: drafter, rewrite: $0) } ?? drafter,
            controller: DraftLengthController(maxLength: options.maxDraftTokens, isAdaptive: options.isAdaptive))
    }

    /// A session of `model` whose logits cover the ids ``DraftVocabulary`` keeps for
    /// `vocabularySize` leading ids (nil: the whole vocabulary), or the whole vocabulary where the
    /// runtime cannot trim its output.
    private func makeSession(draft model: Model, vocabularySize size: Int?) throws -> any EvaluationSession {
        let shared = min(vocabularySize, model.info.vocabularySize)
        guard let size,
              let kept = DraftVocabulary.keptTokens(size: size, vocabularySize: shared, codec: codec),
              let runtime = try model.restrictedRuntime(keeping: kept)
        else { return try model.runtime.makeSession() }
        return RestrictedOutputSession(
            base: try runtime.makeSession(), keptTokens: kept, vocabularySize: model.info.vocabularySize)
    }
}
