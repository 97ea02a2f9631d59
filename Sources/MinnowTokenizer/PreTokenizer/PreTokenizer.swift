/// How text is cut into words before BPE, chosen by `tokenizer.ggml.pre`.
///
/// Each case reproduces the splitting llama.cpp applies for that name (its regexes, written
/// by hand here over Unicode scalar properties; see ``ScalarClass``).
public enum PreTokenizer: Sendable, Equatable {
    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`.
    case gpt2
    /// SmolLM (and StarCoder): every number scalar is its own word, then the GPT-2 split.
    case smolLM
    /// Llama 3: case-insensitive contractions, `[^\r\n\p{L}\p{N}]?\p{L}+`, numbers in groups of
    /// up to three, `' '?[^\s\p{L}\p{N}]+[\r\n]*`, `\s*[\r\n]+`, `\s+(?!\S)`, `\s+`.
    case llama3
    /// Qwen2 and DeepSeek-R1-Distill-Qwen: the Llama 3 split with single-digit numbers.
    case qwen2

    /// The `tokenizer.ggml.pre` values accepted, with the case each selects.
    static let names: [(String, PreTokenizer)] = [
        ("gpt-2", .gpt2), ("gpt2", .gpt2),
        ("smollm", .smolLM), ("starcoder", .smolLM),
        ("llama-bpe", .llama3), ("llama3", .llama3), ("llama-v3", .llama3),
        ("qwen2", .qwen2), ("deepseek-r1-qwen", .qwen2),
    ]

    /// The accepted names, for error messages.
    public static var supportedNames: [String] { names.map(\.0) }

    /// The pre-tokenizer for a `tokenizer.ggml.pre` value.
    /// - Throws: ``TokenizerError/unknownPreTokenizer(_:)`` naming an unsupported value.
    public init(name: String) throws(TokenizerError) {
        guard let match = Self.names.first(where: { $0.0 == name }) else {
            throw .unknownPreTokenizer(name)
        }
        self = match.1
    }

    /// Whether a word that is itself a vocabulary entry skips BPE (llama.cpp's `ignore_merges`).
    var ignoresMerges: Bool { self == .llama3 }

    /// Whether encoding with special tokens adds BOS when the file does not say
    /// (llama.cpp's default for the Llama 3 pre-tokenizer).
    var addsBOSByDefault: Bool { self == .llama3 }

    /// Splits the scalars in `range` into words, calling `emit` with the end index of each word.
    func split(_ text: ScalarView, _ range: Range<Int>, emit: (Int) -> Void) {
        switch self {
        case .gpt2:
            WordSplitter.splitGPT2(text, range, emit: emit)
        case .smolLM:
            WordSplitter.isolateNumbers(text, range) { piece in
                WordSplitter.splitGPT2(text, piece, emit: emit)
            }
        case .llama3:
            WordSplitter.splitLlama3(text, range, maxDigits: 3, emit: emit)
        case .qwen2:
            WordSplitter.splitLlama3(text, range, maxDigits: 1, emit: emit)
        }
    }

    /// The words `text` is split into (a debugging and testing aid; encoding does not use it).
    package func words(_ text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var buffer = ScalarBuffer()
            buffer.load(bytes)
            var words: [String] = []
            buffer.scalars.withUnsafeBufferPointer { scalars in
                buffer.classes.withUnsafeBufferPointer { classes in
                    var start = 0
                    split(ScalarView(scalars: scalars, classes: classes), 0..<scalars.count) { end in
                        let range = buffer.byteOffsets[start]..<buffer.byteOffsets[end]
                        words.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                        start = end
                    }
                }
            }
            return words
        }
    }
}
