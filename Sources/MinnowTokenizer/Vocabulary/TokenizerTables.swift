/// Everything the encoder and decoder look up, built once from a vocabulary.
///
/// Token texts are kept twice in flat byte arenas: as stored (for special tokens, which are
/// matched and rendered verbatim) and decoded from the byte-level alphabet (the bytes a normal
/// token stands for). BPE runs on token ids; merges are keyed by the pair of ids they join.
struct TokenizerTables: Sendable {
    /// The number of tokens.
    let count: Int
    /// The type of each token, after llama.cpp's name-based adjustments.
    let types: [TokenType]
    /// The stored texts, concatenated, with `count + 1` offsets.
    let rawArena: [UInt8]
    let rawOffsets: [Int32]
    /// The decoded bytes of each token, concatenated, with `count + 1` offsets. A token whose
    /// text is outside the alphabet decodes as llama.cpp does, with `[UNK_BYTE_0x…]` markers.
    let decodedArena: [UInt8]
    let decodedOffsets: [Int32]
    /// Decoded bytes → token id, for the tokens whose text is within the alphabet.
    let lookup: TokenLookup
    /// The token of each single byte, or -1.
    let byteTokens: [Int32]
    /// The merges.
    let merges: MergeTable
    /// Merges skipped because a side or the joined text is not a token (reported, not used).
    let unusableMerges: Int
    /// Tokens split out of text when special parsing is on, longest first.
    let specialWhenParsing: [Int32]
    /// Tokens split out of text always (user-defined), longest first.
    let specialAlways: [Int32]
    /// The tokens that end generation.
    let endOfGeneration: Set<Int32>
    /// The resolved end-of-turn token.
    let endOfTurnID: Int32?

    /// Builds the tables.
    /// - Parameters:
    ///   - count: the number of tokens.
    ///   - types: the token types (empty: all normal).
    ///   - forEachToken: calls its argument with each token's index and stored UTF-8 text.
    ///   - mergeCount: the number of merges.
    ///   - forEachMerge: calls its argument with each merge's index and UTF-8 text.
    ///   - eosID: the end-of-sequence id, for the end-of-generation set.
    ///   - eotID: the end-of-turn id from the file, if any.
    init(
        count: Int,
        types: [TokenType],
        forEachToken: ((Int, UnsafeRawBufferPointer) -> Void) -> Void,
        mergeCount: Int,
        forEachMerge: ((Int, UnsafeRawBufferPointer) -> Void) -> Void,
        eosID: Int32?,
        eotID: Int32?
    ) throws(TokenizerError) {
        guard types.isEmpty || types.count == count else {
            throw .inconsistentVocabulary("\(types.count) token types for \(count) tokens")
        }
        guard count > 0, count < Int(Int32.max) else {
            throw .inconsistentVocabulary("\(count) tokens")
        }
        self.count = count
        var rawArena: [UInt8] = []
        rawArena.reserveCapacity(count * 8)
        var rawOffsets: [Int32] = [0]
        rawOffsets.reserveCapacity(count + 1)
        var decodedArena: [UInt8] = []
        decodedArena.reserveCapacity(count * 7)
        var decodedOffsets: [Int32] = [0]
        decodedOffsets.reserveCapacity(count + 1)
        var decodable: [Bool] = []
        decodable.reserveCapacity(count)
        var named: [String: Int32] = [:]
        let scratch = ScratchBytes()

        forEachToken { index, text in
            rawArena.append(contentsOf: text)
            rawOffsets.append(Int32(truncatingIfNeeded: rawArena.count))
            let output = scratch.pointer(minimumCapacity: text.count)
            let written = ByteLevelAlphabet.decode(text, into: output)
            if written >= 0 {
                decodedArena.append(contentsOf: UnsafeBufferPointer(start: output, count: written))
            } else {
                Self.appendUnknownBytes(text, into: &decodedArena)
            }
            decodable.append(written >= 0)
            decodedOffsets.append(Int32(truncatingIfNeeded: decodedArena.count))
            if SpecialTokenRules.mightBeName(text) {
                let bytes = Array(text)
                if SpecialTokenRules.allNames.contains(bytes) {
                    named[String(decoding: bytes, as: UTF8.self)] = Int32(index)
                }
            }
        }
        guard rawOffsets.count == count + 1 else {
            throw .inconsistentVocabulary("read \(rawOffsets.count - 1) of \(count) tokens")
        }

        var lookup = TokenLookup(capacity: count)
        var byteTokens = [Int32](repeating: -1, count: 256)
        var merges = MergeTable(capacity: mergeCount)
        var unusable = 0
        decodedArena.withUnsafeBytes { arenaBytes in
            decodedOffsets.withUnsafeBufferPointer { offsets in
                let arena = arenaBytes.baseAddress ?? UnsafeRawPointer(scratch.pointer(minimumCapacity: 1))
                for id in 0..<count where decodable[id] {
                    lookup.insert(id: id, arena: arena, offsets: offsets)
                }
                let buffer = scratch.pointer(minimumCapacity: 256)
                for byte in 0..<256 {
                    buffer[0] = UInt8(byte)
                    byteTokens[byte] = lookup.lookup(buffer, 1, arena: arena, offsets: offsets)
                }
                forEachMerge { rank, text in
                    // The separator is the first space after the first byte (llama.cpp: find(' ', 1)).
                    guard text.count > 2, let space = text[1...].firstIndex(of: 0x20) else {
                        unusable += 1
                        return
                    }
                    let output = scratch.pointer(minimumCapacity: text.count)
                    let split = ByteLevelAlphabet.decode(UnsafeRawBufferPointer(rebasing: text[..<space]), into: output)
                    guard split >= 0 else { unusable += 1; return }
                    let rest = ByteLevelAlphabet.decode(
                        UnsafeRawBufferPointer(rebasing: text[(space + 1)...]), into: output + split)
                    guard rest >= 0 else { unusable += 1; return }
                    let left = lookup.lookup(output, split, arena: arena, offsets: offsets)
                    let right = lookup.lookup(output + split, rest, arena: arena, offsets: offsets)
                    let joined = lookup.lookup(output, split + rest, arena: arena, offsets: offsets)
                    guard left >= 0, right >= 0, joined >= 0 else { unusable += 1; return }
                    merges.insert(left: left, right: right, rank: Int32(truncatingIfNeeded: rank), result: joined)
                }
            }
        }

        let outcome = SpecialTokenRules.apply(
            types: types.isEmpty ? [TokenType](repeating: .normal, count: count) : types,
            named: named, eosID: eosID, eotID: eotID)

        // Special tokens, longest first (llama.cpp sorts by length; ties are in id order here).
        func sortedByLength(_ ids: [Int32]) -> [Int32] {
            ids.map { id in (id, Int(rawOffsets[Int(id) + 1] - rawOffsets[Int(id)])) }
                .filter { $0.1 > 0 }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
                .map(\.0)
        }
        var whenParsing: [Int32] = []
        var always: [Int32] = []
        for (id, type) in outcome.types.enumerated() {
            if type.isMatchedWhenParsingSpecial { whenParsing.append(Int32(id)) }
            if type.isAlwaysMatched { always.append(Int32(id)) }
        }

        self.types = outcome.types
        self.rawArena = rawArena
        self.rawOffsets = rawOffsets
        self.decodedArena = decodedArena
        self.decodedOffsets = decodedOffsets
        self.lookup = lookup
        self.byteTokens = byteTokens
        self.merges = merges
        self.unusableMerges = unusable
        self.specialWhenParsing = sortedByLength(whenParsing)
        self.specialAlways = sortedByLength(always)
        self.endOfGeneration = outcome.endOfGeneration
        self.endOfTurnID = outcome.endOfTurnID
    }

    /// llama.cpp's rendering of a normal token outside the alphabet: each scalar that is not in
    /// the alphabet becomes `[UNK_BYTE_0x<utf8 hex><whole text>]`.
    private static func appendUnknownBytes(_ text: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let string = String(decoding: text, as: UTF8.self)
        for scalar in string.unicodeScalars {
            let value = Int(scalar.value)
            if value < ByteLevelAlphabet.byteForScalar.count, ByteLevelAlphabet.byteForScalar[value] >= 0 {
                output.append(UInt8(ByteLevelAlphabet.byteForScalar[value]))
            } else {
                output.append(contentsOf: Array("[UNK_BYTE_0x".utf8))
                for byte in String(scalar).utf8 {
                    output.append(contentsOf: Array(String(byte, radix: 16).leftPadded(to: 2).utf8))
                }
                output.append(contentsOf: text)
                output.append(UInt8(ascii: "]"))
            }
        }
    }

    /// The id of the token whose decoded bytes are `bytes`, or -1.
    func tokenID(decodedBytes bytes: UnsafeRawBufferPointer) -> Int32 {
        guard let key = bytes.baseAddress else { return -1 }
        return decodedArena.withUnsafeBytes { arena in
            decodedOffsets.withUnsafeBufferPointer { offsets in
                guard let base = arena.baseAddress else { return -1 }
                return lookup.lookup(key, bytes.count, arena: base, offsets: offsets)
            }
        }
    }

    /// Where a token's stored text lies in ``rawArena``.
    func rawRange(_ id: Int) -> Range<Int> {
        Int(rawOffsets[id])..<Int(rawOffsets[id + 1])
    }

    /// Where a token's decoded bytes lie in ``decodedArena``.
    func decodedRange(_ id: Int) -> Range<Int> {
        Int(decodedOffsets[id])..<Int(decodedOffsets[id + 1])
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A growable scratch buffer of bytes, freed when it goes out of scope.
private final class ScratchBytes {
    private var storage = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    private var capacity = 256

    /// The buffer, with room for at least `minimumCapacity` bytes (earlier contents are lost
    /// when it grows).
    func pointer(minimumCapacity: Int) -> UnsafeMutablePointer<UInt8> {
        if minimumCapacity > capacity {
            storage.deallocate()
            capacity = max(minimumCapacity, capacity * 2)
            storage = .allocate(capacity: capacity)
        }
        return storage
    }

    deinit { storage.deallocate() }
}
