/// What the generated answer must match. Tokens that would break it are masked before every
/// sampling step, whatever the sampler chain, and the end of generation is allowed only where
/// the answer is complete.
///
/// The result is a complete match unless ``GenerationParameters/maxTokens`` (the stop reason
/// is then ``StopReason/maxTokens``), a stop string or a cancellation cut it. While an R1
/// model reasons (inside `<think>…</think>`) nothing is constrained; the constraint starts
/// with the answer.
public enum GenerationConstraint: Sendable {
    /// A GBNF grammar.
    case grammar(Grammar)

    /// JSON mode: the answer is one JSON object.
    public static var json: GenerationConstraint { .grammar(.jsonObject) }

    /// The answer is a JSON value that matches a JSON schema (see
    /// ``Grammar/init(jsonSchema:)`` for what is supported).
    /// - Throws: ``GrammarError`` naming the JSON pointer of what cannot be converted.
    public static func jsonSchema(_ schema: String) throws -> GenerationConstraint {
        .grammar(try Grammar(jsonSchema: schema))
    }

    /// The grammar.
    public var grammar: Grammar {
        switch self {
        case .grammar(let grammar): return grammar
        }
    }
}
