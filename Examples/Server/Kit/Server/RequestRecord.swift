import Foundation
import Minnow
import ServerAPI

/// What the server logs about one request, as one line: id, endpoint, status, token counts,
/// time to first token and speed.
public struct RequestRecord: Sendable, Equatable {
    /// The request's id.
    public var id: String
    /// The path.
    public var endpoint: String
    /// The HTTP status answered.
    public var status: Int
    /// Whether it was streamed.
    public var streamed: Bool
    /// The generation's statistics, when it ran to its end.
    public var stats: GenerationStats?
    /// From arrival to the first generated piece.
    public var timeToFirstToken: Duration?
    /// From arrival to the end.
    public var total: Duration
    /// Why the server stopped it early, if it did.
    public var cancelReason: CancelReason?
    /// The error answered, if any.
    public var error: String?

    /// A record.
    public init(
        id: String, endpoint: String, status: Int, streamed: Bool, stats: GenerationStats? = nil,
        timeToFirstToken: Duration? = nil, total: Duration, cancelReason: CancelReason? = nil, error: String? = nil
    ) {
        self.id = id
        self.endpoint = endpoint
        self.status = status
        self.streamed = streamed
        self.stats = stats
        self.timeToFirstToken = timeToFirstToken
        self.total = total
        self.cancelReason = cancelReason
        self.error = error
    }

    /// `key=value` pairs on one line.
    public var line: String {
        var parts = ["id=\(id)", "endpoint=\(endpoint)", "status=\(status)", "stream=\(streamed)"]
        if let stats {
            parts.append("prompt_tokens=\(stats.promptTokens)")
            parts.append("cached_tokens=\(stats.cachedTokens)")
            parts.append("generated_tokens=\(stats.generatedTokens)")
            parts.append("finish=\(finishReason(stats.stopReason) ?? "cancelled")")
            parts.append("tokens_per_s=\(Self.oneDecimal(stats.decodeTokensPerSecond))")
        }
        if let timeToFirstToken { parts.append("ttft_ms=\(Self.milliseconds(timeToFirstToken))") }
        parts.append("total_ms=\(Self.milliseconds(total))")
        if let cancelReason { parts.append("cancelled=\(cancelReason.rawValue)") }
        if let error { parts.append("error=\"\(error.replacingOccurrences(of: "\"", with: "'"))\"") }
        return parts.joined(separator: " ")
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return "\(Int(tenths) / 10).\(abs(Int(tenths)) % 10)"
    }
}
