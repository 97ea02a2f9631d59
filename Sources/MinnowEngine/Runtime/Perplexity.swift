import Foundation

/// Perplexity computed as llama.cpp's `llama-perplexity` does.
public enum Perplexity {
    /// The outcome.
    public struct Result: Sendable {
        /// exp(mean negative log-likelihood).
        public var perplexity: Double
        /// Windows evaluated.
        public var chunks: Int
        /// Tokens scored.
        public var scored: Int
    }

    /// Splits `tokens` into whole windows of `context` tokens (BOS over each window's first
    /// token when given), evaluates each in a fresh session, and averages the negative log
    /// likelihood of the tokens after position `context / 2`.
    public static func compute(tokens: [Int32], context: Int, bos: Int32?, session: ([Int32]) throws -> ModelSession) throws -> Result {
        let chunks = tokens.count / context
        guard chunks > 0 else {
            throw PerplexityError.tooFewTokens(tokens.count, needed: context)
        }
        var nll = 0.0
        var scored = 0
        let first = context / 2
        for c in 0..<chunks {
            var window = Array(tokens[(c * context)..<((c + 1) * context)])
            if let bos { window[0] = bos }
            let s = try session(window)
            try s.evaluateAll(window) { j, logits in
                guard j >= first && j < context - 1 else { return }
                var maximum = -Float.infinity
                for v in logits { maximum = max(maximum, v) }
                var sum = 0.0
                for v in logits { sum += exp(Double(v - maximum)) }
                let target = Int(window[j + 1])
                nll += log(sum) - Double(logits[target] - maximum)
                scored += 1
            }
        }
        return Result(perplexity: exp(nll / Double(scored)), chunks: chunks, scored: scored)
    }
}

/// Errors of ``Perplexity``.
public enum PerplexityError: Error, CustomStringConvertible, Equatable {
    /// Fewer tokens than one window.
    case tooFewTokens(Int, needed: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .tooFewTokens(let count, let needed): "the text has \(count) tokens; at least \(needed) are needed for one window"
        }
    }
}
