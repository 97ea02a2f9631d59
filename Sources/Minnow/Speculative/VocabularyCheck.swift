/// Whether a draft model's token ids mean what the target's do: the same bytes for every token
/// both have, the same end-of-generation tokens and the same BOS. The numbers of logits may
/// differ by up to ``maxSizeDifference`` (padding rows: R1's 7B distill has 152,064 and its
/// 1.5B 151,936); a drafted id the model lacks is simply rejected.
enum VocabularyCheck {
    /// The largest difference in vocabulary size accepted.
    static let maxSizeDifference = 256

    /// Throws ``SpeculativeDecodingError/vocabularyMismatch(_:)`` naming the first difference.
    static func ensureCompatible(target: any TextCodec, vocabularySize targetSize: Int, draft: Model) throws {
        let size = min(targetSize, draft.info.vocabularySize)
        guard abs(draft.info.vocabularySize - targetSize) <= maxSizeDifference else {
            throw SpeculativeDecodingError.vocabularyMismatch(
                "\(draft.info.vocabularySize) tokens in the draft, \(targetSize) in the model")
        }
        guard target.beginningOfSequence == draft.codec.beginningOfSequence else {
            throw SpeculativeDecodingError.vocabularyMismatch(
                "BOS \(describe(draft.codec.beginningOfSequence)) in the draft, "
                    + "\(describe(target.beginningOfSequence)) in the model")
        }
        for id in 0..<Int32(truncatingIfNeeded: size) {
            let a = target.bytes(of: id), b = draft.codec.bytes(of: id)
            if a != b {
                throw SpeculativeDecodingError.vocabularyMismatch(
                    "token \(id) is \(String(decoding: b, as: UTF8.self).debugDescription) in the draft, "
                        + "\(String(decoding: a, as: UTF8.self).debugDescription) in the model")
            }
            if target.isEndOfGeneration(id) != draft.codec.isEndOfGeneration(id) {
                throw SpeculativeDecodingError.vocabularyMismatch(
                    "token \(id) ends generation in only one of them")
            }
        }
    }

    private static func describe(_ id: Int32?) -> String { id.map { "\($0)" } ?? "none" }
}
