/// Watches the answer text for stop strings. It releases text only once it cannot be the start
/// of a stop string, so no partial match ever reaches the consumer.
package struct StopStringFilter {
    private let stops: [[UInt8]]
    private var pending: [UInt8] = []

    /// A filter for `stopStrings` (empty strings are ignored).
    package init(stopStrings: [String]) {
        stops = stopStrings.filter { !$0.isEmpty }.map { Array($0.utf8) }
    }

    /// The result of feeding text.
    package struct Output: Equatable, Sendable {
        /// Text that is safe to emit.
        package var text: String
        /// The stop string that matched, if one did; nothing more may be emitted.
        package var matched: String?
    }

    /// Adds `text` and returns what can be emitted now.
    package mutating func feed(_ text: String) -> Output {
        guard !stops.isEmpty else { return Output(text: text, matched: nil) }
        pending.append(contentsOf: text.utf8)
        // The earliest complete match wins (the longest one at that position).
        var earliest: (start: Int, stop: [UInt8])?
        for stop in stops {
            if let start = Self.firstIndex(of: stop, in: pending),
               earliest == nil || start < earliest!.start
                || (start == earliest!.start && stop.count > earliest!.stop.count) {
                earliest = (start, stop)
            }
        }
        if let match = earliest {
            let text = String(decoding: pending[0..<match.start], as: UTF8.self)
            pending.removeAll()
            return Output(text: text, matched: String(decoding: match.stop, as: UTF8.self))
        }
        // Hold back the longest suffix that is a proper prefix of some stop string.
        var hold = 0
        for stop in stops {
            let longest = min(stop.count - 1, pending.count)
            if longest <= hold { continue }
            for length in stride(from: longest, to: hold, by: -1)
            where pending[(pending.count - length)...].elementsEqual(stop[0..<length]) {
                hold = length
                break
            }
        }
        let releasable = pending.count - hold
        let released = String(decoding: pending[0..<releasable], as: UTF8.self)
        pending.removeSubrange(0..<releasable)
        return Output(text: released, matched: nil)
    }

    /// Releases the held text (the generation ended without completing a stop string).
    package mutating func flush() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0] && haystack[start..<(start + needle.count)].elementsEqual(needle) {
                return start
            }
            start += 1
        }
        return nil
    }
}
