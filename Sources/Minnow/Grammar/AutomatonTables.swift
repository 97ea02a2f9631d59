/// The memo of a grammar's matcher: every set of stacks met so far gets an id, and each
/// transition (set, code point) is computed once. Later steps, and the walks over the token
/// trie that build masks, are table look-ups.
struct AutomatonTables {
    private let stacks: GrammarStacks
    private var sets: [[[Int32]]] = []
    private var setIDs: [[[Int32]]: Int32] = [:]
    private var completeSets: [Bool] = []
    /// Per set, the character classes on top of its stacks.
    private var topClasses: [[Int32]] = []
    private let elements: [GrammarProgram.Element]
    private let classes: [CharacterClass]
    /// 128 entries per set: the set after an ASCII code point (-2 not computed, -1 dead).
    private var asciiNext: [Int32] = []
    private var wideNext: [UInt64: Int32] = [:]
    /// The token masks computed so far, per token trie.
    private var masks: [(trie: TokenTrie, byState: [MatchState: TokenMask])] = []
    private var cachedMaskTokens = 0
    /// The start state.
    private(set) var start = MatchState(set: 0)

    /// Above this many token ids in cached masks, the mask cache is cleared.
    static let maxCachedMaskTokens = 8_000_000

    init(program: GrammarProgram) {
        stacks = GrammarStacks(program: program)
        elements = program.elements
        classes = program.classes
        start = MatchState(set: intern(stacks.initial()))
    }

    /// Whether the input read so far, ending at `state`, is a complete match.
    func isComplete(_ state: MatchState) -> Bool {
        state.remaining == 0 && state.set >= 0 && completeSets[Int(state.set)]
    }

    /// The state after one more byte, or nil when the grammar cannot accept it. UTF-8 is
    /// decoded strictly: overlong forms, surrogates and code points above U+10FFFF are refused.
    mutating func step(_ state: MatchState, _ byte: UInt8) -> MatchState? {
        if state.remaining == 0 {
            if byte < 0x80 { return advanceASCII(state.set, byte) }
            switch byte {
            case 0xC2...0xDF: return viable(MatchState(set: state.set, partial: UInt32(byte & 0x1F), remaining: 1, length: 2))
            case 0xE0...0xEF: return viable(MatchState(set: state.set, partial: UInt32(byte & 0x0F), remaining: 2, length: 3))
            case 0xF0...0xF4: return viable(MatchState(set: state.set, partial: UInt32(byte & 0x07), remaining: 3, length: 4))
            default: return nil
            }
        }
        guard byte & 0xC0 == 0x80 else { return nil }
        let bits = state.partial << 6 | UInt32(byte & 0x3F)
        if state.remaining == 1 {
            guard bits >= Self.smallest[Int(state.length)], bits <= 0x10FFFF, !(0xD800...0xDFFF).contains(bits) else {
                return nil
            }
            return advance(state.set, over: bits)
        }
        return viable(MatchState(set: state.set, partial: bits, remaining: state.remaining - 1, length: state.length))
    }

    /// The smallest code point of each UTF-8 length (shorter forms are overlong).
    private static let smallest: [UInt32] = [0, 0, 0x80, 0x800, 0x10000]

    /// The state after `bytes`, or nil when the grammar rejects them.
    mutating func step(_ state: MatchState, over bytes: some Sequence<UInt8>) -> MatchState? {
        var current = state
        for byte in bytes {
            guard let next = step(current, byte) else { return nil }
            current = next
        }
        return current
    }

    // MARK: - Masks

    /// The tokens of `trie` whose bytes the grammar accepts from `state`, the trie's
    /// end-of-generation tokens included when the match is complete. Cached per state.
    mutating func mask(at state: MatchState, trie: TokenTrie) -> TokenMask {
        let slot: Int
        if let found = masks.firstIndex(where: { $0.trie === trie }) {
            slot = found
            if let mask = masks[slot].byState[state] { return mask }
        } else {
            if masks.count >= 4 { masks.removeFirst() }
            masks.append((trie, [:]))
            slot = masks.count - 1
        }
        let mask = walk(trie, from: state)
        if cachedMaskTokens + mask.ids.count > Self.maxCachedMaskTokens {
            for index in masks.indices { masks[index].byState.removeAll() }
            cachedMaskTokens = 0
        }
        masks[slot].byState[state] = mask
        cachedMaskTokens += mask.ids.count
        return mask
    }

    /// Walks the trie in preorder, skipping every subtree whose prefix the grammar rejects.
    private mutating func walk(_ trie: TokenTrie, from state: MatchState) -> TokenMask {
        var ids: [Int32] = []
        var path = [MatchState](repeating: state, count: trie.maxDepth + 1)
        let bytes = trie.byte, depths = trie.depth, ends = trie.subtreeEnd, starts = trie.tokenStart, tokens = trie.tokens
        bytes.withUnsafeBufferPointer { bytes in
            depths.withUnsafeBufferPointer { depths in
                ends.withUnsafeBufferPointer { ends in
                    starts.withUnsafeBufferPointer { starts in
                        tokens.withUnsafeBufferPointer { tokens in
                            path.withUnsafeMutableBufferPointer { path in
                                var index = 0
                                let count = bytes.count
                                while index < count {
                                    let depth = Int(depths[index])
                                    guard let next = step(path[depth - 1], bytes[index]) else {
                                        index = Int(ends[index])
                                        continue
                                    }
                                    path[depth] = next
                                    var token = Int(starts[index])
                                    let last = Int(starts[index + 1])
                                    while token < last {
                                        ids.append(tokens[token])
                                        token += 1
                                    }
                                    index += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        if isComplete(state) { ids.append(contentsOf: trie.endOfGeneration) }
        ids.sort()
        return TokenMask(ids: ids)
    }

    /// Whether the grammar accepts `token` from `state` (the same verdict as its mask's).
    mutating func allows(_ token: Int32, at state: MatchState, trie: TokenTrie) -> Bool {
        guard token >= 0, Int(token) < trie.tokenBytes.count else { return false }
        if trie.isEndOfGeneration(token) { return isComplete(state) }
        let bytes = trie.tokenBytes[Int(token)]
        return !bytes.isEmpty && step(state, over: bytes) != nil
    }

    // MARK: - Transitions

    private mutating func advanceASCII(_ set: Int32, _ byte: UInt8) -> MatchState? {
        let slot = Int(set) * 128 + Int(byte)
        var next = asciiNext[slot]
        if next == -2 {
            next = computeNext(set, UInt32(byte))
            asciiNext[slot] = next
        }
        return next < 0 ? nil : MatchState(set: next)
    }

    private mutating func advance(_ set: Int32, over codePoint: UInt32) -> MatchState? {
        if codePoint < 0x80 { return advanceASCII(set, UInt8(codePoint)) }
        let key = UInt64(UInt32(bitPattern: set)) << 32 | UInt64(codePoint)
        if let next = wideNext[key] { return next < 0 ? nil : MatchState(set: next) }
        let next = computeNext(set, codePoint)
        wideNext[key] = next
        return next < 0 ? nil : MatchState(set: next)
    }

    private mutating func computeNext(_ set: Int32, _ codePoint: UInt32) -> Int32 {
        let result = stacks.advance(sets[Int(set)], over: codePoint)
        return result.isEmpty ? -1 : intern(result)
    }

    /// `state` when some stack can take a code point beginning with its bytes, else nil.
    private func viable(_ state: MatchState) -> MatchState? {
        let shift = UInt32(6) * UInt32(state.remaining)
        let lower = max(state.partial << shift, Self.smallest[Int(state.length)])
        let upper = min(state.partial << shift | ((1 << shift) - 1), 0x10FFFF)
        guard lower <= upper else { return nil }
        for id in topClasses[Int(state.set)] where classes[Int(id)].intersects(lower, upper) { return state }
        return nil
    }

    private mutating func intern(_ stackSet: [[Int32]]) -> Int32 {
        if let id = setIDs[stackSet] { return id }
        let id = Int32(sets.count)
        sets.append(stackSet)
        setIDs[stackSet] = id
        completeSets.append(stackSet.contains { $0.isEmpty })
        var tops = Set<Int32>()
        for stack in stackSet {
            if let top = stack.last, case .characters(let id) = elements[Int(top)] { tops.insert(id) }
        }
        topClasses.append(tops.sorted())
        asciiNext.append(contentsOf: repeatElement(-2, count: 128))
        return id
    }

    /// The number of sets interned so far.
    var setCount: Int { sets.count }
}

/// The token ids a grammar allows at one state, sorted.
struct TokenMask: Sendable {
    /// The allowed ids, ascending.
    let ids: [Int32]

    /// Whether `token` is allowed.
    func contains(_ token: Int32) -> Bool {
        var low = 0
        var high = ids.count
        while low < high {
            let mid = (low + high) / 2
            if ids[mid] < token { low = mid + 1 } else { high = mid }
        }
        return low < ids.count && ids[low] == token
    }
}
