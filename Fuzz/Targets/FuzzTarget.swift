/// The fuzz targets: each takes arbitrary bytes, runs them through one of Minnow's parsers of
/// untrusted input, and checks what must hold for every input. A violated property traps
/// (`preconditionFailure`), which libFuzzer reports as a crash with the input that caused it;
/// an input the parser rejects with its typed error is a normal outcome.
///
/// The same functions run under libFuzzer (`Scripts/fuzz.sh`, the `minnow-fuzz` executable) and
/// in the ordinary test suite, which replays the committed corpus in `Fuzz/Corpus/<target>`.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The GGUF reader, and the tokenizer and chat template built from a file's metadata.
    case gguf
    /// The tokenizer: encoding arbitrary text (with and without special tokens) and decoding
    /// arbitrary token ids, on two real vocabularies.
    case tokenizer
    /// The Jinja parser and renderer: arbitrary templates rendered with arbitrary messages.
    case template
    /// The summarizer's JSONL input: the line reader and the line parser.
    case jsonl
    /// `minnow-serve`'s request bodies: decoding, messages, sampling parameters, tools.
    case request

    /// Runs one input through the target. Traps when a property that must hold for every input
    /// does not.
    public func run(_ bytes: UnsafeRawBufferPointer) {
        switch self {
        case .gguf: GGUFFuzzTarget.run(bytes)
        case .tokenizer: TokenizerFuzzTarget.shared.run(bytes)
        case .template: TemplateFuzzTarget.run(bytes)
        case .jsonl: JSONLFuzzTarget.run(bytes)
        case .request: ServerRequestFuzzTarget.run(bytes)
        }
    }

    /// Prepares what the target needs before the first input (the tokenizer loads its two
    /// vocabularies), so that the first input is not slow.
    public func prepare() {
        if self == .tokenizer { _ = TokenizerFuzzTarget.shared }
    }
}

/// Checks a property of one fuzz input; traps with `message` when it is false.
@inline(__always)
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { preconditionFailure(message()) }
}
