import Foundation

/// The tokens a sampler chooses from: token ids with their logits.
///
/// A chain of ``Sampler``s narrows and reshapes the candidates, and the chain then draws one
/// of the survivors in proportion to `exp(logit)`. The candidates start as the whole
/// vocabulary, in id order.
public struct TokenCandidates: Sendable {
    /// The candidate token ids.
    public private(set) var ids: [Int32]
    /// The logit of each candidate, parallel to ``ids``.
    public private(set) var logits: [Float]
    /// Whether the candidates are known to be sorted by logit, highest first.
    public private(set) var isSortedDescending: Bool
    /// Whether `ids[i] == i` for every candidate (the whole vocabulary in id order).
    private var isIdentityOrder: Bool

    /// Candidates for every token of a vocabulary, from one logit per token id.
    public init(logits: [Float]) {
        self.ids = (0..<logits.count).map { Int32(truncatingIfNeeded: $0) }
        self.logits = logits
        self.isSortedDescending = false
        self.isIdentityOrder = true
    }

    /// Candidates from explicit ids and logits. The two arrays are truncated to the shorter one.
    public init(ids: [Int32], logits: [Float]) {
        let count = min(ids.count, logits.count)
        self.ids = Array(ids.prefix(count))
        self.logits = Array(logits.prefix(count))
        self.isSortedDescending = false
        self.isIdentityOrder = false
    }

    /// The index in ``ids`` of token `id`, or nil when it is not a candidate.
    public func index(of id: Int32) -> Int? {
        if isIdentityOrder { return id >= 0 && Int(id) < ids.count ? Int(id) : nil }
        return ids.firstIndex(of: id)
    }

    /// The number of candidates.
    public var count: Int { ids.count }

    /// Whether no candidate is left.
    public var isEmpty: Bool { ids.isEmpty }

    /// Replaces the logit of the candidate at `index` (an index into ``ids``).
    public mutating func setLogit(_ logit: Float, at index: Int) {
        guard logits.indices.contains(index) else { return }
        logits[index] = logit
        isSortedDescending = false
    }

    /// Applies `transform` to every logit, in place. `transform` must keep the order of the
    /// logits (be non-decreasing) for ``isSortedDescending`` to stay meaningful; otherwise the
    /// sorted flag is cleared by passing `preservesOrder: false`.
    public mutating func transformLogits(preservesOrder: Bool = true, _ transform: (Float) -> Float) {
        for index in logits.indices { logits[index] = transform(logits[index]) }
        if !preservesOrder { isSortedDescending = false }
    }

    /// Sorts the candidates by logit, highest first (ties by lower id first).
    public mutating func sortDescending() {
        guard !isSortedDescending else { return }
        let order = logits.indices.sorted { a, b in
            logits[a] != logits[b] ? logits[a] > logits[b] : ids[a] < ids[b]
        }
        ids = order.map { ids[$0] }
        isIdentityOrder = false
        logits = order.map { logits[$0] }
        isSortedDescending = true
    }

    /// Keeps only the `k` candidates with the highest logits, sorted highest first.
    ///
    /// Selects the `k` best without sorting the whole vocabulary, so it is cheap for small `k`.
    public mutating func keepTop(_ k: Int) {
        let k = max(1, k)
        guard k < count else { sortDescending(); return }
        if isSortedDescending {
            ids.removeSubrange(k...)
            logits.removeSubrange(k...)
            return
        }
        // Keep a small sorted buffer of the best k (insertion), which is fast for the k of
        // typical sampling settings; fall back to a full sort for large k.
        if k > 256 {
            sortDescending()
            ids.removeSubrange(k...)
            logits.removeSubrange(k...)
            return
        }
        var bestIDs: [Int32] = []
        var bestLogits: [Float] = []
        bestIDs.reserveCapacity(k + 1)
        bestLogits.reserveCapacity(k + 1)
        for index in logits.indices {
            let logit = logits[index]
            if bestLogits.count == k, let last = bestLogits.last, !(logit > last) { continue }
            var position = bestLogits.count
            while position > 0 && logit > bestLogits[position - 1] { position -= 1 }
            bestLogits.insert(logit, at: position)
            bestIDs.insert(ids[index], at: position)
            if bestLogits.count > k {
                bestLogits.removeLast()
                bestIDs.removeLast()
            }
        }
        ids = bestIDs
        logits = bestLogits
        isSortedDescending = true
        isIdentityOrder = false
    }

    /// Keeps the first `count` candidates in their current order.
    public mutating func keepPrefix(_ count: Int) {
        let count = max(1, min(count, self.count))
        ids.removeSubrange(count...)
        logits.removeSubrange(count...)
    }


    /// Keeps the candidates for which `isIncluded` returns true, given (id, logit).
    /// When nothing would be left, keeps the single best candidate instead.
    public mutating func keep(where isIncluded: (Int32, Float) -> Bool) {
        var newIDs: [Int32] = []
        var newLogits: [Float] = []
        for index in ids.indices where isIncluded(ids[index], logits[index]) {
            newIDs.append(ids[index])
            newLogits.append(logits[index])
        }
        if newIDs.isEmpty, let best = bestIndex {
            newIDs = [ids[best]]
            newLogits = [logits[best]]
        }
        if newIDs.count != ids.count { isIdentityOrder = false }
        ids = newIDs
        logits = newLogits
    }

    /// The index of the candidate with the highest logit (the lowest id among ties), or nil
    /// when there are no candidates.
    public var bestIndex: Int? {
        guard !logits.isEmpty else { return nil }
        if isSortedDescending { return 0 }
        var best = 0
        for index in logits.indices.dropFirst() {
            if logits[index] > logits[best] || (logits[index] == logits[best] && ids[index] < ids[best]) {
                best = index
            }
        }
        return best
    }

    /// The softmax of the logits, parallel to ``ids``: probabilities that sum to 1.
    public func probabilities() -> [Float] {
        guard let best = bestIndex else { return [] }
        let maximum = logits[best]
        guard maximum.isFinite else {
            // Every candidate is -inf (or the best is +inf / NaN): all mass on the best one.
            return logits.indices.map { $0 == best ? 1 : 0 }
        }
        var weights = logits.map { logit -> Float in
            let value = (logit - maximum).isNaN ? -Float.infinity : logit - maximum
            return exp(value)
        }
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return logits.indices.map { $0 == best ? 1 : 0 } }
        for index in weights.indices { weights[index] /= sum }
        return weights
    }
}
