import Synchronization

/// Where one constrained generation stands in its grammar, and the token masks for it.
struct ConstraintTracker {
    private let automaton: GrammarAutomaton
    private let trie: TokenTrie
    private(set) var state: MatchState

    /// A tracker at the start of `grammar`, over the tokens of `trie`.
    init(grammar: Grammar, trie: TokenTrie) {
        self.automaton = grammar.automaton
        self.trie = trie
        self.state = grammar.automaton.withTables { $0.start }
    }

    /// The tokens allowed next (the end-of-generation tokens only when the match is complete).
    func allowedTokens() -> TokenMask {
        automaton.withTables { $0.mask(at: state, trie: trie) }
    }

    /// Whether the text so far is a complete match.
    var isComplete: Bool {
        automaton.withTables { $0.isComplete(state) }
    }

    /// Moves past `token`'s bytes. Returns false (and stays put) when the grammar rejects them.
    mutating func accept(_ token: Int32) -> Bool {
        guard token >= 0, Int(token) < trie.tokenBytes.count else { return false }
        let bytes = trie.tokenBytes[Int(token)]
        let current = state
        guard let next = automaton.withTables({ $0.step(current, over: bytes) }) else { return false }
        state = next
        return true
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
