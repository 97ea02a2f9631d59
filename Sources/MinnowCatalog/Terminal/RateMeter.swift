import Foundation

/// Measures a rate (bytes per second, documents per second) from a running total, smoothed over
/// recent samples, and estimates the time left.
public struct RateMeter: Sendable {
    private var samples: [(time: Double, total: Double)] = []
    /// How many seconds of samples the rate is averaged over.
    public var window: Double

    /// A meter averaging over the last `window` seconds.
    public init(window: Double = 5) {
        self.window = window
    }

    /// Records that `total` units are done at `time` (seconds, any fixed origin).
    public mutating func record(total: Double, at time: Double) {
        samples.append((time, total))
        while samples.count > 2, let first = samples.first, time - first.time > window {
            samples.removeFirst()
        }
    }

    /// Units per second over the window, or nil before two samples at different times.
    public var rate: Double? {
        guard let first = samples.first, let last = samples.last, last.time > first.time else { return nil }
        return max(0, (last.total - first.total) / (last.time - first.time))
    }

    /// Seconds left to reach `target` at the current rate, or nil when the rate is unknown or 0.
    public func secondsRemaining(toReach target: Double) -> Double? {
        guard let rate, rate > 0, let last = samples.last else { return nil }
        return max(0, (target - last.total) / rate)
    }

    /// The monotonic clock in seconds, for ``record(total:at:)``.
    public static func now() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}
