/// A model whose logits cover part of the vocabulary (a draft model's trimmed output head).
extension TransformerModel {
    /// The name of the matrix ``restrictingOutput(to:)`` gathers.
    public static let restrictedOutputName = "output.kept_rows.weight"

    /// This model with an output projection of only the rows `rows` of its own (in that order):
    /// its logits are those of the token ids in `rows`, bit for bit, and its last matmul reads
    /// `rows.count / vocabularySize` of the bytes. The gathered matrix is made now, in ordinary
    /// memory; every other weight is shared with this model.
    ///
    /// A drafter for speculative decoding uses it: most drafted tokens are among the frequent
    /// ones, which in a BPE vocabulary have the low ids.
    /// - Throws: ``ModelConfigError/badTensorShape(name:shape:expected:)`` for a row outside the
    ///   vocabulary.
    public func restrictingOutput(to rows: [Int]) throws -> TransformerModel {
        var restricted = self
        restricted.weights = try weights.appendingRows(of: output, rows, name: Self.restrictedOutputName)
        guard let ref = restricted.weights.ref(Self.restrictedOutputName) else {
            throw ModelConfigError.missingTensor(Self.restrictedOutputName)
        }
        restricted.output = ref
        return restricted
    }
}
