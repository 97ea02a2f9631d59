import Synchronization

/// Where one constrained generation stands in its grammar, and how it samples under it.
struct ConstraintTracker {
    /// What the sampler chain does, as far as the constraint can use it to skip work.
    enum ChainShape: Equatable {
        /// Greedy, or a draw from the softmax of per-token logits (temperature, penalties) with
        /// no truncation: drawing first and checking the one token is exact (a rejected draw is
        /// redrawn from the masked logits, which makes the masked distribution).
        case pointwise
        /// The standard chain with top-k and no stage before it that changes logits: the first
        /// `k` allowed tokens in logit order are all that the later stages can see.
        case topK(Int)
        /// Anything else: the whole mask is applied before the chain.
        case general

        /// The shape of `parameters`' chain.
        init(_ parameters: GenerationParameters) {
            guard parameters.samplerChain == nil, parameters.additionalSamplers.isEmpty else {
                self = .general
                return
            }
            let penalties = PenaltySampler(
                repetition: parameters.repetitionPenalty, presence: parameters.presencePenalty,
                frequency: parameters.frequencyPenalty)
            if parameters.temperature <= 0 || (parameters.topK <= 0 && parameters.topP >= 1 && parameters.minP <= 0) {
                self = .pointwise
            } else if parameters.topK > 0 && !penalties.isActive {
                self = .topK(parameters.topK)
            } else {
                self = .general
            }
        }
    }

    /// The outcome of a constrained choice.
    enum Choice: Equatable {
        /// The next token (already accepted by the tracker).
        case token(Int32)
        /// The match is complete and nothing may follow, but the model has no end token.
        case finished
    }

    private let automaton: GrammarAutomaton
    private let trie: TokenTrie
    private(set) var state: MatchState

    /// A tracker at the start of `grammar`, over the tokens of `trie`.
    init(grammar: Grammar, trie: TokenTrie) {
        self.automaton = grammar.automaton
        self.trie = trie
        self.state = grammar.automaton.withTables { $0.start }
    }

    /// Chooses the next token with `chain`, among the tokens the grammar allows, and moves past
    /// it.
    mutating func choose(
        from logits: [Float], chain: SamplerChain, shape: ChainShape, context: SamplingContext,
        random: inout SeededRandomNumberGenerator
    ) throws -> Choice {
        let token = try pick(from: logits, chain: chain, shape: shape, context: context, random: &random)
        guard let token else { return .finished }
        if !trie.isEndOfGeneration(token) {
            let bytes = trie.tokenBytes[Int(token)]
            let current = state
            guard let next = automaton.withTables({ $0.step(current, over: bytes) }) else {
                throw ChatSessionError.evaluationFailed("the constrained answer's grammar rejected token \(token)")
            }
            state = next
        }
        return .token(token)
    }

    /// Moves past `bytes` that were written without sampling. Returns false, and stays where it
    /// was, when the grammar does not accept them.
    mutating func advance(over bytes: [UInt8]) -> Bool {
        let current = state
        guard let next = automaton.withTables({ $0.step(current, over: bytes) }) else { return false }
        state = next
        return true
    }

    private func pick(
        from logits: [Float], chain: SamplerChain, shape: ChainShape, context: SamplingContext,
        random: inout SeededRandomNumberGenerator
    ) throws -> Int32? {
        let state = self.state, trie = self.trie
        switch shape {
        case .pointwise:
            if let token = chain.select(from: logits, context: context, using: &random),
               automaton.withTables({ $0.allows(token, at: state, trie: trie) }) {
                return token
            }
        case .topK(let k):
            // The best tokens in logit order, checked one by one until k are allowed.
            let examined = min(logits.count, max(4 * k, 64))
            var top = TokenCandidates(logits: logits)
            top.keepTop(examined)
            var allowed: [Int32] = []
            automaton.withTables { tables in
                for token in top.ids where tables.allows(token, at: state, trie: trie) {
                    allowed.append(token)
                    if allowed.count == k { break }
                }
            }
            if allowed.count == k || examined == logits.count {
                guard !allowed.isEmpty else { break }
                var masked = [Float](repeating: -.infinity, count: logits.count)
                for token in allowed { masked[Int(token)] = logits[Int(token)] }
                if let token = chain.select(from: masked, context: context, using: &random), allowed.contains(token) {
                    return token
                }
            }
        case .general:
            break
        }
        // The whole mask.
        let mask = automaton.withTables { $0.mask(at: state, trie: trie) }
        if mask.ids.isEmpty {
            if automaton.withTables({ $0.isComplete(state) }) { return nil }
            throw ChatSessionError.evaluationFailed("no token of the vocabulary continues the constrained answer")
        }
        if let token = chain.select(from: Self.masked(logits, by: mask), context: context, using: &random),
           mask.contains(token) {
            return token
        }
        // A custom sampler revived a masked token: take the best allowed one instead.
        return Self.best(in: logits, allowed: mask)
    }

    /// `logits` with every token outside `mask` set to -infinity.
    static func masked(_ logits: [Float], by mask: TokenMask) -> [Float] {
        var result = [Float](repeating: -.infinity, count: logits.count)
        result.withUnsafeMutableBufferPointer { output in
            logits.withUnsafeBufferPointer { input in
                for id in mask.ids where Int(id) < input.count { output[Int(id)] = input[Int(id)] }
            }
        }
        return result
    }

    /// The allowed token with the highest logit (the lowest id among ties).
    static func best(in logits: [Float], allowed mask: TokenMask) -> Int32? {
        var best: Int32?
        var bestLogit = -Float.infinity
        for id in mask.ids where Int(id) < logits.count {
            let logit = logits[Int(id)]
            if best == nil || logit > bestLogit { best = id; bestLogit = logit }
        }
        return best
    }
}

/// A token trie built once per tokenizer, on first use.
final class TokenTrieCache: Sendable {
    private let trie = Mutex<TokenTrie?>(nil)

    init() {}

    /// The cached trie when it covers `vocabularySize` tokens, else a new one from `make`.
    func trie(vocabularySize: Int, make: () -> TokenTrie) -> TokenTrie {
        trie.withLock { cached in
            if let cached, cached.vocabularySize == vocabularySize { return cached }
            let made = make()
            cached = made
            return made
        }
    }
}
