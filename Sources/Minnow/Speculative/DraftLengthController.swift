import Foundation

/// Chooses how many tokens to draft from the acceptance rate seen so far.
///
/// With a per-token acceptance rate `a`, drafting `k` tokens yields `(1 - a^(k+1)) / (1 - a)`
/// tokens per verification on average (the accepted ones plus the model's own next token). A
/// step costs one verification (taken as `1 + verifyGrowth·k`: a batch of `k+1` rows costs
/// somewhat more than one row) plus `k` drafting steps of relative cost `draftCost`. The
/// controller picks the `k` with the most tokens per unit of cost; when no drafting pays, it
/// still drafts one token every ``probeInterval`` steps so that the rate keeps being measured.
struct DraftLengthController {
    /// The most tokens drafted at once.
    let maxLength: Int
    /// Whether the length adapts (otherwise always ``maxLength``).
    let isAdaptive: Bool
    /// A drafting step's cost relative to one decoding step of the model.
    var draftCost: Double
    /// Extra cost of each additional verified row, relative to one decoding step.
    let verifyGrowth: Double = 0.1
    /// Steps between probes when drafting does not pay.
    let probeInterval = 16
    /// The running per-token acceptance rate (exponentially weighted).
    private(set) var acceptanceRate: Double
    private var idleSteps = 0

    /// A controller starting from an assumed acceptance rate.
    init(maxLength: Int, isAdaptive: Bool, draftCost: Double, initialAcceptance: Double = 0.7) {
        self.maxLength = max(0, maxLength)
        self.isAdaptive = isAdaptive
        self.draftCost = draftCost
        self.acceptanceRate = initialAcceptance
    }

    /// The number of tokens to draft next.
    mutating func nextLength() -> Int {
        guard isAdaptive else { return maxLength }
        let a = min(max(acceptanceRate, 0), 0.999)
        var best = 0
        var bestValue = 1.0
        for k in stride(from: 1, through: maxLength, by: 1) {
            let tokens = (1 - pow(a, Double(k + 1))) / (1 - a)
            let value = tokens / (1 + verifyGrowth * Double(k) + draftCost * Double(k))
            if value > bestValue { (best, bestValue) = (k, value) }
        }
        if best == 0 {
            idleSteps += 1
            if idleSteps >= probeInterval {
                idleSteps = 0
                return min(1, maxLength)
            }
        }
        return best
    }

    /// Records that `accepted` of `drafted` tokens were accepted. A draft stops at its first
    /// rejection, so the tokens seen are the accepted ones plus one rejected (if any).
    mutating func record(drafted: Int, accepted: Int) {
        guard drafted > 0 else { return }
        let seen = accepted < drafted ? accepted + 1 : accepted
        let rate = Double(accepted) / Double(seen)
        let weight = min(1, 0.15 * Double(seen))
        acceptanceRate += weight * (rate - acceptanceRate)
    }
}
