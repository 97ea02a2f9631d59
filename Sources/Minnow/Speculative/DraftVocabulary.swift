/// The token ids a draft model's trimmed output head keeps: the first ones (BPE ids follow the
/// merge order, so low ids are the frequent tokens) and the special ones the model can emit, so
/// that stops can still be drafted. A token outside them is never drafted; the model then
/// chooses it itself at verification, so the output does not change, only the acceptance.
package enum DraftVocabulary {
    /// The default number of leading ids kept (of Qwen2.5's 151,936): about a fifth of the
    /// draft's output matrix.
    package static let defaultSize = 32_768
    /// The kept ids are padded to a multiple of this (the row group of the CPU backend's
    /// interleaved kernels, which take only whole groups).
    package static let rowMultiple = 8

    /// The ids `0..<size`, then every special id of `codec` below `vocabularySize`, then the
    /// next ordinary ids up to a multiple of ``rowMultiple``; ascending. Nil when that would be
    /// the whole vocabulary (or `size` is not positive).
    package static func keptTokens(size: Int, vocabularySize: Int, codec: any TextCodec) -> [Int]? {
        guard size > 0, size < vocabularySize else { return nil }
        var kept = Array(0..<size)
        var padding: [Int] = []
        for id in size..<vocabularySize {
            if codec.isSpecial(Int32(truncatingIfNeeded: id)) {
                kept.append(id)
            } else if padding.count < rowMultiple {
                padding.append(id)
            }
        }
        let missing = (rowMultiple - kept.count % rowMultiple) % rowMultiple
        kept += padding.prefix(missing)
        guard kept.count < vocabularySize else { return nil }
        return kept.sorted()
    }
}
