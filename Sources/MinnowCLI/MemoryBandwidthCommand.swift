import ArgumentParser
import Foundation

/// `minnow membw`: the machine's memory read bandwidth, the limit of decoding speed.
struct MemoryBandwidthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "membw",
        abstract: "Measure memory read bandwidth (GB/s) with 1, 2, … threads.")

    @Option(name: .long, help: "Thread counts, comma-separated.")
    var threads: String = "1,2"

    @Option(name: .long, help: "Buffer size in MiB (well above the last-level cache).")
    var mib: Int = 512

    @Flag(name: .long, help: "Print a JSON array.")
    var json = false

    func validate() throws {
        if mib < 16 { throw ValidationError("--mib must be at least 16") }
        _ = try parseCounts(threads, option: "--threads")
    }

    func run() throws {
        var rows: [[String: Any]] = []
        for t in try parseCounts(threads, option: "--threads") {
            let bandwidth = MemoryBandwidth.measure(threads: t, bytes: mib << 20)
            if json {
                rows.append(["threads": t, "bytesPerSecond": bandwidth])
            } else {
                print(String(format: "threads %d: %.1f GB/s (%.1f GiB/s)", t, bandwidth / 1e9, bandwidth / 1_073_741_824))
            }
        }
        if json { try printJSON(rows) }
    }
}

/// Positive integers given as `1,2,4`.
func parseCounts(_ text: String, option: String) throws -> [Int] {
    let counts = try text.split(separator: ",").map { part -> Int in
        guard let n = Int(part.trimmingCharacters(in: .whitespaces)), n >= 1 else {
            throw ValidationError("\(option): '\(part)' is not a positive integer")
        }
        return n
    }
    if counts.isEmpty { throw ValidationError("\(option) needs at least one value") }
    return counts
}
