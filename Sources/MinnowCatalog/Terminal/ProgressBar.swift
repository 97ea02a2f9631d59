import Foundation

/// A one-line progress bar on standard error: percentage, amount, rate and ETA.
///
/// On a terminal the line is redrawn in place (at most ten times a second); otherwise a plain line
/// is printed every ten percent, so that logs stay short.
public final class ProgressBar: @unchecked Sendable {
    /// How amounts are shown.
    public enum Unit: Sendable {
        /// Bytes (`12.3 MiB`, `4.5 MiB/s`).
        case bytes
        /// Counted items with a name (`12/20 docs`, `1.5 docs/s`).
        case items(String)
    }

    private let label: String
    private let unit: Unit
    private let isTerminal: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var meter = RateMeter()
    private var lastDraw = -Double.infinity
    private var lastDecile = -1
    private var drewInPlace = false

    /// A bar labelled `label`. `isTerminal` defaults to whether standard error is a terminal;
    /// `write` defaults to writing to standard error.
    public init(label: String, unit: Unit, isTerminal: Bool? = nil,
                write: @escaping @Sendable (String) -> Void = ProgressBar.writeToStandardError) {
        self.label = label
        self.unit = unit
        self.isTerminal = isTerminal ?? (isatty(STDERR_FILENO) == 1)
        self.write = write
    }

    /// Reports that `completed` of `total` (nil: unknown) are done.
    public func update(completed: Double, total: Double?) {
        lock.lock()
        defer { lock.unlock() }
        let now = RateMeter.now()
        meter.record(total: completed, at: now)
        if isTerminal {
            guard now - lastDraw >= 0.1 else { return }
            lastDraw = now
            write("\r\u{1B}[2K" + line(completed: completed, total: total))
            drewInPlace = true
        } else if let total, total > 0 {
            let decile = Int(completed / total * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            write(line(completed: completed, total: total) + "\n")
        }
    }

    /// Draws the final state and ends the line.
    public func finish(completed: Double, total: Double?) {
        lock.lock()
        defer { lock.unlock() }
        meter.record(total: completed, at: RateMeter.now())
        if isTerminal {
            write("\r\u{1B}[2K" + line(completed: completed, total: total) + "\n")
        } else if lastDecile < 10 {
            write(line(completed: completed, total: total) + "\n")
        }
        drewInPlace = false
        lastDecile = 10
    }

    /// Clears the in-place line (before printing something else), if one is drawn.
    public func clear() {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal && drewInPlace { write("\r\u{1B}[2K") }
    }

    /// The text of the bar, without line control characters.
    public func line(completed: Double, total: Double?) -> String {
        var parts = [label]
        if let total, total > 0 {
            let fraction = min(1, max(0, completed / total))
            let width = 24
            let filled = Int(fraction * Double(width))
            parts.append("[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]")
            parts.append("\(Int(fraction * 100))%")
        }
        switch unit {
        case .bytes:
            parts.append(total.map { "\(UnitFormat.bytes(completed)) / \(UnitFormat.bytes($0))" }
                         ?? UnitFormat.bytes(completed))
            parts.append(meter.rate.map { "\(UnitFormat.bytes($0))/s" } ?? "--/s")
        case .items(let name):
            parts.append(total.map { "\(Int(completed))/\(Int($0)) \(name)" } ?? "\(Int(completed)) \(name)")
            parts.append(meter.rate.map {
                $0 >= 1 || $0 == 0 ? "\(UnitFormat.oneDecimal($0)) \(name)/s" : "\(UnitFormat.oneDecimal($0 * 60)) \(name)/min"
            } ?? "-- \(name)/s")
        }
        if let total {
            parts.append("ETA " + UnitFormat.duration(completed >= total ? 0 : meter.secondsRemaining(toReach: total)))
        }
        return parts.joined(separator: "  ")
    }

    /// Writes `text` to standard error.
    @Sendable public static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
