import ArgumentParser
import Foundation
import Minnow

/// `--draft MODEL|ngram`: speculative decoding with a draft model file, or prompt lookup.
struct DraftOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Speculative decoding: a draft GGUF model with the same vocabulary, or 'ngram' (prompt lookup).",
        valueName: "MODEL|ngram"))
    var draft: String?

    @Option(name: .long, help: "The most tokens drafted per step (the number adapts to the acceptance rate).")
    var draftMax: Int = 8

    @Flag(name: .long, help: "Always draft --draft-max tokens (the number does not adapt).")
    var draftFixed = false

    @Option(name: .long, help: ArgumentHelp(
        "With a draft model: its logits cover only the first N token ids plus the special ones (0: all).",
        valueName: "N"))
    var draftVocabulary: Int = SpeculativeDecoding.trimmedDraftVocabularySize ?? 0

    func validate() throws {
        if draftMax < 1 { throw ValidationError("--draft-max must be at least 1") }
        if draftVocabulary < 0 { throw ValidationError("--draft-vocabulary must be 0 or more") }
        if let draft, draft != "ngram", !FileManager.default.fileExists(atPath: draft) {
            throw ValidationError("--draft: no file at \(draft) (give a GGUF path or 'ngram')")
        }
    }

    /// The speculation `--draft` asks for, loading the draft model with `options`; nil without it.
    func speculation(options: LoadOptions) async throws -> SpeculativeDecoding? {
        guard let draft else { return nil }
        if draft == "ngram" {
            return SpeculativeDecoding(draft: .promptLookup(), maxDraftTokens: draftMax, isAdaptive: !draftFixed)
        }
        let model = try await Model.load(from: URL(fileURLWithPath: draft), options: options)
        return SpeculativeDecoding(draft: .model(model), maxDraftTokens: draftMax, isAdaptive: !draftFixed,
                                   draftVocabularySize: draftVocabulary > 0 ? draftVocabulary : nil)
    }
}

extension GenerationStats {
    /// "accepted 90/120 drafted (75.0%)", or nil when nothing was drafted.
    var draftSummary: String? {
        guard draftedTokens > 0 else { return nil }
        return String(format: "accepted %d/%d drafted tokens (%.1f%%)", acceptedDraftTokens, draftedTokens,
                      100 * draftAcceptanceRate)
    }
}
