import Foundation

/// Chooses how many tokens to draft from the acceptance rate and the costs measured so far.
///
/// With a per-token acceptance rate `a`, drafting `k` tokens yields `(1 - a^(k+1)) / (1 - a)`
/// tokens per verification on average (the accepted ones plus the model's own next token). A
/// step costs `k` drafting steps (measured seconds per draft-model evaluation) plus one verification of
/// `k + 1` rows, whose time is fitted as `c + s·(rows - 1)` by least squares over recent steps
/// (a batch of rows costs more than one row: how much depends on the machine and its load, from
/// about 10% per row when decoding is bound by memory bandwidth to far more when the cores are
/// busy). The controller picks the `k` with the most tokens per second, 0 included (no drafting);
/// when drafting does not pay it still drafts one token every ``probeInterval`` steps so that
/// the measurements stay current.
///
/// The cost model can be wrong: on a CPU whose decoding is bound by arithmetic rather than
/// memory, the fitted per-row cost and the drafting cost missed part of a step's time, and the
/// model kept drafting at 0.82-0.86x the speed of plain decoding. So the controller also checks
/// the outcome: it measures whole steps end to end (tokens gained per second, drafting or not),
/// takes a plain step every ``plainProbeInterval`` steps to keep the plain rate current, and
/// does not draft while drafting steps gain fewer tokens per second than plain ones (probing
/// the model's length every ``probeInterval`` steps, so that a change is noticed).
package struct DraftLengthController {
    /// The most tokens drafted at once.
    let maxLength: Int
    /// Whether the length adapts (otherwise always ``maxLength``).
    let isAdaptive: Bool
    /// Steps between probes when drafting does not pay.
    let probeInterval = 16
    /// Drafting steps between plain steps that measure the plain rate.
    let plainProbeInterval = 32
    /// How much each new observation weighs against the past ones.
    let forgetting = 0.9
    /// The running per-token acceptance rate (exponentially weighted).
    private(set) var acceptanceRate: Double
    /// Seconds per drafted token, exponentially weighted (nil until measured).
    private(set) var draftSeconds: Double?
    /// Weighted sums for the least-squares fit of verification time against rows.
    private var weight = 0.0, sumX = 0.0, sumXX = 0.0, sumY = 0.0, sumXY = 0.0
    private var idleSteps = 0
    /// Tokens gained per second over whole steps that drafted, and that did not (exponentially
    /// weighted; nil until measured).
    private(set) var draftingRate: Double?
    private(set) var plainRate: Double?
    private var draftingStepsSincePlain = 0

    /// A controller starting from an assumed acceptance rate.
    package init(maxLength: Int, isAdaptive: Bool, initialAcceptance: Double = 0.7) {
        self.maxLength = max(0, maxLength)
        self.isAdaptive = isAdaptive
        self.acceptanceRate = initialAcceptance
    }

    /// The fitted verification time of `rows` rows, or nil before any measurement.
    func verificationSeconds(rows: Int) -> Double? {
        guard weight > 0 else { return nil }
        let meanX = sumX / weight, meanY = sumY / weight
        let variance = sumXX / weight - meanX * meanX
        var slope: Double
        if variance > 0.05 {
            slope = (sumXY / weight - meanX * meanY) / variance
        } else {
            // All steps had the same size so far: assume 10% per extra row until they vary.
            slope = 0.1 * meanY / (1 + 0.1 * (meanX - 1))
        }
        slope = max(0, slope)
        let intercept = max(meanY - slope * (meanX - 1), 1e-9)
        return intercept + slope * Double(rows - 1)
    }

    /// The number of tokens to draft next.
    package mutating func nextLength() -> Int {
        guard isAdaptive, maxLength > 0 else { return maxLength }
        // Until both costs are measured, draft a middle length to measure them.
        guard let one = verificationSeconds(rows: 1), let draftSeconds else { return min(maxLength, 4) }
        let a = min(max(acceptanceRate, 0), 0.999)
        var best = 0
        var bestRate = 1 / one
        for k in stride(from: 1, through: maxLength, by: 1) {
            let tokens = (1 - pow(a, Double(k + 1))) / (1 - a)
            let seconds = (verificationSeconds(rows: k + 1) ?? one) + draftSeconds * Double(k)
            let rate = tokens / seconds
            if rate > bestRate { (best, bestRate) = (k, rate) }
        }
        if best == 0 {
            idleSteps += 1
            if idleSteps >= probeInterval {
                idleSteps = 0
                return 1
            }
            return 0
        }
        // The outcome check, once whole steps are being measured.
        guard let drafting = draftingRate else { return best }
        guard let plain = plainRate, draftingStepsSincePlain < plainProbeInterval else { return 0 }
        if drafting < plain {
            idleSteps += 1
            if idleSteps >= probeInterval {
                idleSteps = 0
                return best
            }
            return 0
        }
        return best
    }

    /// Records a step: `accepted` of `drafted` tokens were accepted; drafting took
    /// `draftingSeconds` over `draftEvaluations` draft-model evaluations (0: count the drafted
    /// tokens), and verifying `rows` rows took `verifyingSeconds`; the whole step, which gained
    /// `accepted + 1` tokens, took `stepSeconds` (nil: not measured). A draft stops at its first
    /// rejection, so the tokens judged are the accepted ones plus one rejected (if any).
    package mutating func record(drafted: Int, accepted: Int, rows: Int, draftingSeconds: Double,
                                 verifyingSeconds: Double, draftEvaluations: Int = 0, stepSeconds: Double? = nil) {
        if let stepSeconds, stepSeconds > 0 {
            let rate = Double(accepted + 1) / stepSeconds
            if drafted > 0 {
                draftingRate = draftingRate.map { $0 + 0.2 * (rate - $0) } ?? rate
                draftingStepsSincePlain += 1
            } else {
                plainRate = plainRate.map { $0 + 0.2 * (rate - $0) } ?? rate
                draftingStepsSincePlain = 0
            }
        }
        weight = forgetting * weight + 1
        let x = Double(rows), y = verifyingSeconds
        sumX = forgetting * sumX + x
        sumXX = forgetting * sumXX + x * x
        sumY = forgetting * sumY + y
        sumXY = forgetting * sumXY + x * y
        guard drafted > 0 else { return }
        // Drafting k tokens takes about k draft evaluations when drafting goes on step after step.
        let perToken = draftingSeconds / Double(draftEvaluations > 0 ? draftEvaluations : drafted)
        draftSeconds = draftSeconds.map { $0 + 0.2 * (perToken - $0) } ?? perToken
        let judged = accepted < drafted ? accepted + 1 : accepted
        let rate = Double(accepted) / Double(judged)
        let step = min(1, 0.15 * Double(judged))
        acceptanceRate += step * (rate - acceptanceRate)
    }
}
