/// The token ids every benchmark evaluates: a fixed arithmetic sequence of ordinary token ids,
/// the same on every machine and in `Scripts/bench-vs-llamacpp`, so results compare.
enum BenchWorkload {
    /// Id `i` of the sequence: `100 + (i × 7919) mod 20000` (7919 is prime, so the ids spread
    /// over 100..<20100, below the special tokens of every supported vocabulary).
    static func tokenID(_ i: Int) -> Int32 {
        Int32(100 + (i &* 7919) % 20000)
    }

    /// The first `count` ids of the sequence.
    static func tokens(_ count: Int) -> [Int32] {
        (0..<max(0, count)).map(tokenID)
    }
}

/// One benchmark test: `ppN` (N prompt tokens in batches) or `tgN` (N tokens one by one),
/// both from an empty cache, as llama-bench runs them.
enum BenchTest: Sendable, Equatable {
    /// Prompt processing of this many tokens.
    case prompt(Int)
    /// Text generation of this many tokens.
    case generation(Int)

    /// The name llama-bench uses, such as `pp512` or `tg128`.
    var name: String {
        switch self {
        case .prompt(let n): "pp\(n)"
        case .generation(let n): "tg\(n)"
        }
    }

    /// Tokens evaluated by one run.
    var tokenCount: Int {
        switch self {
        case .prompt(let n), .generation(let n): n
        }
    }
}
