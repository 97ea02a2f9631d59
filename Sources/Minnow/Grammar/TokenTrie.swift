/// A vocabulary's tokens as a byte trie, stored in preorder, so that a grammar can test all
/// tokens at once: a prefix the grammar rejects prunes every token that starts with it.
///
/// Tokens without bytes (control tokens) are left out; the end-of-generation tokens are kept
/// apart, allowed only where the grammar's match is complete.
package final class TokenTrie: Sendable {
    /// The number of token ids (the logits' length).
    let vocabularySize: Int
    /// Per node, the byte on the edge into it.
    let byte: [UInt8]
    /// Per node, its depth (the root, not stored, is depth 0).
    let depth: [UInt16]
    /// Per node, the index of the first node after its subtree.
    let subtreeEnd: [Int32]
    /// Per node, where its tokens start in ``tokens``; one extra entry at the end.
    let tokenStart: [Int32]
    /// The tokens ending at each node, in node order.
    let tokens: [Int32]
    /// The end-of-generation tokens.
    let endOfGeneration: [Int32]
    /// The deepest node's depth.
    let maxDepth: Int
    /// The bytes of every token id (empty for control tokens).
    let tokenBytes: [[UInt8]]

    /// Whether `token` is an end-of-generation token.
    func isEndOfGeneration(_ token: Int32) -> Bool {
        endOfGeneration.contains(token)
    }

    /// The number of nodes.
    var nodeCount: Int { byte.count }

    /// A trie of token ids `0..<vocabularySize`, with their bytes and end-of-generation flags.
    package init(vocabularySize: Int, bytes: (Int32) -> [UInt8], isEndOfGeneration: (Int32) -> Bool) {
        self.vocabularySize = vocabularySize
        var allBytes: [[UInt8]] = []
        allBytes.reserveCapacity(vocabularySize)
        var ends: [Int32] = []
        var order: [Int32] = []
        for id in 0..<Int32(vocabularySize) {
            let piece = bytes(id)
            allBytes.append(piece)
            if isEndOfGeneration(id) {
                ends.append(id)
            } else if !piece.isEmpty {
                order.append(id)
            }
        }
        order.sort { allBytes[Int($0)].lexicographicallyPrecedes(allBytes[Int($1)]) }

        var byte: [UInt8] = []
        var depth: [UInt16] = []
        var subtreeEnd: [Int32] = []
        var tokenStart: [Int32] = []
        var tokens: [Int32] = []
        // The open node at each depth along the current path (index 0 unused).
        var open: [Int] = [-1]
        var previous: [UInt8] = []
        var maxDepth = 0
        for id in order {
            let piece = allBytes[Int(id)]
            var common = 0
            let limit = min(previous.count, piece.count)
            while common < limit && previous[common] == piece[common] { common += 1 }
            // Close the nodes below the common prefix.
            while open.count - 1 > common {
                if let node = open.popLast() { subtreeEnd[node] = Int32(byte.count) }
            }
            for level in common..<piece.count {
                open.append(byte.count)
                byte.append(piece[level])
                depth.append(UInt16(clamping: level + 1))
                subtreeEnd.append(0)
                tokenStart.append(Int32(tokens.count))
            }
            tokens.append(id)
            maxDepth = max(maxDepth, piece.count)
            previous = piece
        }
        while let node = open.popLast(), node >= 0 { subtreeEnd[node] = Int32(byte.count) }
        tokenStart.append(Int32(tokens.count))

        self.byte = byte
        self.depth = depth
        self.subtreeEnd = subtreeEnd
        self.tokenStart = tokenStart
        self.tokens = tokens
        self.endOfGeneration = ends
        self.maxDepth = maxDepth
        self.tokenBytes = allBytes
    }
}
