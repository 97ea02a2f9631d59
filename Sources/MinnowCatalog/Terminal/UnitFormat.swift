/// Formats byte counts, rates and durations for progress bars and messages.
public enum UnitFormat {
    /// `12.3 MiB`, `1.1 GiB`, `512 B`.
    public static func bytes(_ count: Double) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = max(0, count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) \(units[0])" : "\(oneDecimal(value)) \(units[unit])"
    }

    /// `1m05s`, `2h03m`, `42s`; `--` when unknown.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "--" }
        let total = Int(seconds.rounded())
        if total >= 3600 { return "\(total / 3600)h\(twoDigits((total % 3600) / 60))m" }
        if total >= 60 { return "\(total / 60)m\(twoDigits(total % 60))s" }
        return "\(total)s"
    }

    /// A number with one decimal: `3.1`.
    public static func oneDecimal(_ value: Double) -> String {
        guard value.isFinite else { return "--" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
