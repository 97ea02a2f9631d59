import Minnow
import Prometheus
import Synchronization
import ServerAPI

/// The server's Prometheus metrics: request counts by endpoint and status, cancellations by
/// reason, token counters, and at each scrape the queue depth, busy slots and the aggregate
/// generation speed over the last ``TokenRateMeter/window``.
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let promptTokens: Counter
    private let cachedTokens: Counter
    private let generatedTokens: Counter
    private let queueDepth: Gauge
    private let activeSlots: Gauge
    private let slots: Gauge
    private let inFlight: Gauge
    private let tokensPerSecond: Gauge
    /// Generated tokens over the recent window.
    public let rate = TokenRateMeter()

    /// Metrics for a server with `slots` slots.
    public init(slots: Int) {
        promptTokens = Self.makeCounter(registry, "minnow_prompt_tokens_total",
            "Prompt tokens of finished requests, cached ones included.")
        cachedTokens = Self.makeCounter(registry, "minnow_cached_prompt_tokens_total",
            "Prompt tokens reused from a slot's KV cache.")
        generatedTokens = Self.makeCounter(registry, "minnow_generated_tokens_total",
            "Tokens generated, reasoning included (pieces of text, for a generation stopped early).")
        queueDepth = Self.makeGauge(registry, "minnow_queue_depth",
            "Requests waiting for a free slot.")
        activeSlots = Self.makeGauge(registry, "minnow_active_slots",
            "Slots evaluating a prompt or generating.")
        self.slots = Self.makeGauge(registry, "minnow_slots",
            "Slots (--parallel).")
        inFlight = Self.makeGauge(registry, "minnow_requests_in_flight",
            "Requests admitted and not finished (slots and queue).")
        tokensPerSecond = Self.makeGauge(registry, "minnow_tokens_per_second",
            "Generated tokens per second over the last 10 s, all slots together.")
        self.slots.set(to: Double(slots))
        for reason in CancelReason.allCases { _ = cancelledCounter(reason) }
    }

    private static func makeCounter(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String) -> Counter {
        registry.makeCounter(descriptor: .init(metricName: name, unitName: "", helpText: help))
    }

    private static func makeGauge(_ registry: PrometheusCollectorRegistry, _ name: String, _ help: String) -> Gauge {
        registry.makeGauge(descriptor: .init(metricName: name, unitName: "", helpText: help))
    }

    /// Counts a finished request.
    public func recordRequest(endpoint: String, status: Int) {
        registry.makeCounter(descriptor: .init(metricName: "minnow_requests_total", unitName: "",
                                               helpText: "Requests answered, by endpoint and HTTP status."),
                             labels: [("endpoint", endpoint), ("status", String(status))]).increment()
    }

    /// Counts a generation the server stopped.
    public func recordCancel(_ reason: CancelReason) {
        cancelledCounter(reason).increment()
    }

    /// Counts one generated piece of text (about a token) toward the recent rate.
    public func recordPiece() {
        rate.add(1)
    }

    /// Adds an ended generation's token counts: its statistics when it ran to its end, else the
    /// pieces it produced before it was stopped.
    public func recordEnd(stats: GenerationStats?, pieces: Int) {
        if let stats {
            promptTokens.increment(by: Int64(stats.promptTokens))
            cachedTokens.increment(by: Int64(stats.cachedTokens))
            generatedTokens.increment(by: Int64(stats.generatedTokens))
            rate.add(stats.generatedTokens - pieces)
        } else {
            generatedTokens.increment(by: Int64(pieces))
        }
    }

    /// The metrics in Prometheus' text format, with the gauges read now.
    public func render(load: BatchLoad, inFlight: Int) -> String {
        queueDepth.set(to: Double(load.waiting))
        activeSlots.set(to: Double(load.running))
        self.inFlight.set(to: Double(inFlight))
        tokensPerSecond.set(to: rate.tokensPerSecond())
        return registry.emitToString()
    }

    private func cancelledCounter(_ reason: CancelReason) -> Counter {
        registry.makeCounter(descriptor: .init(metricName: "minnow_requests_cancelled_total", unitName: "",
                                               helpText: "Generations the server stopped early, by reason."),
                             labels: [("reason", reason.rawValue)])
    }
}

/// Tokens generated per second over a sliding window, across all requests.
public final class TokenRateMeter: Sendable {
    /// How far back the rate looks.
    public let window: Duration
    private let samples = Mutex<[(ContinuousClock.Instant, Int)]>([])

    /// A meter over `window`.
    public init(window: Duration = .seconds(10)) {
        self.window = window
    }

    /// Records `count` tokens generated at `time`.
    public func add(_ count: Int, at time: ContinuousClock.Instant = .now) {
        guard count > 0 else { return }
        samples.withLock { samples in
            samples.append((time, count))
            let horizon = time - window
            if let keep = samples.firstIndex(where: { $0.0 >= horizon }), keep > 0 { samples.removeFirst(keep) }
        }
    }

    /// Tokens per second over the window ending at `now`.
    public func tokensPerSecond(at now: ContinuousClock.Instant = .now) -> Double {
        let horizon = now - window
        let total = samples.withLock { $0.filter { $0.0 >= horizon }.reduce(0) { $0 + $1.1 } }
        let seconds = Double(window.components.seconds) + Double(window.components.attoseconds) * 1e-18
        return seconds > 0 ? Double(total) / seconds : 0
    }
}
