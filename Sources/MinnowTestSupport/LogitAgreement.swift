/// Where llama.cpp's token stands in our logits at one position.
public struct LogitStanding: CustomStringConvertible, Sendable {
    /// Our top-1 token.
    public let top: Int
    /// How many of our logits are above llama.cpp's token's.
    public let rank: Int
    /// Our top-1 logit minus our logit of llama.cpp's token.
    public let gap: Float

    /// The standing of token `theirs` in `logits`.
    public init(of theirs: Int, in logits: UnsafeBufferPointer<Float>) {
        var top = 0
        for j in logits.indices where logits[j] > logits[top] { top = j }
        self.top = top
        rank = logits.filter { $0 > logits[theirs] }.count
        gap = logits[top] - logits[theirs]
    }

    /// A near-tie: llama.cpp's token within our top 5 and within 0.5 logit of our top-1.
    /// For scale, two llama.cpp versions differ by up to 0.33 logit on SmolLM2 Q4_1.
    public var isNearTie: Bool { rank < 5 && gap <= 0.5 }

    /// "ours T, rank R, gap G".
    public var description: String { "ours \(top), rank \(rank), gap \(gap)" }
}

/// Agreement of a backend's teacher-forced logits with llama.cpp's references
/// (``LlamaCppReference``), position by position, by the standard both the CPU and the Vulkan
/// backend are held to: llama.cpp's top-1 is ours at ≥ 90% of positions, and every other
/// position is a near-tie (``LogitStanding/isNearTie``); the differences of llama.cpp's top-5
/// logits are summarized as RMS and maximum.
public struct LogitAgreement: CustomStringConvertible, Sendable {
    /// Positions seen.
    public private(set) var positions = 0
    /// Positions where our top-1 is llama.cpp's.
    public private(set) var agree = 0
    /// The largest |our logit − llama.cpp's| over llama.cpp's top 5.
    public private(set) var worst = 0.0
    /// Every disagreement, near-tie or not: "label: llama.cpp T, ours O, rank R, gap G".
    public private(set) var misses: [String] = []
    /// The disagreements that are not near-ties.
    public private(set) var nonTies: [String] = []
    private var squares = 0.0

    /// An empty tally.
    public init() {}

    /// RMS of |our logit − llama.cpp's| over llama.cpp's top 5 at every position.
    public var rms: Double { positions == 0 ? 0 : (squares / Double(5 * positions)).squareRoot() }

    /// "top-1 agreement A/P; top-5 logit diff RMS r, max m; near-ties: […]".
    public var description: String {
        "top-1 agreement \(agree)/\(positions); top-5 logit diff RMS \(rms), max \(worst); near-ties: \(misses)"
    }

    /// Adds one position: our logits and llama.cpp's top entries there (`[id, logit]`, highest first).
    public mutating func add(_ logits: UnsafeBufferPointer<Float>, reference: [[Double]], label: String) {
        guard let first = reference.first?.first else { return }
        let theirTop = Int(first)
        let standing = LogitStanding(of: theirTop, in: logits)
        positions += 1
        if standing.top == theirTop {
            agree += 1
        } else {
            let miss = "\(label): llama.cpp \(theirTop), \(standing)"
            misses.append(miss)
            if !standing.isNearTie { nonTies.append(miss) }
        }
        for entry in reference.prefix(5) where entry.count == 2 {
            let d = Double(logits[Int(entry[0])]) - entry[1]
            squares += d * d
            worst = max(worst, abs(d))
        }
    }
}
