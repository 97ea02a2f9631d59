import Foundation

/// A run of input text still to be tokenized, or a special token already recognized.
enum Fragment: Equatable {
    /// Bytes of the input, by offset.
    case text(Range<Int>)
    /// A special token's id.
    case token(Int32)
}

/// Splits special-token spellings out of the input before BPE, as llama.cpp's
/// `tokenizer_st_partition` does: the candidate tokens are taken longest first, and each one is
/// cut out of every remaining text fragment, left to right, wherever its text occurs.
enum SpecialTokenPartition {
    /// The fragments of `text` once every token of `candidates` (longest first) is split out.
    static func partition(
        _ text: UnsafeRawBufferPointer, candidates: [Int32], tables: borrowing TokenizerTables
    ) -> [Fragment] {
        var fragments: [Fragment] = text.isEmpty ? [] : [.text(0..<text.count)]
        guard let base = text.baseAddress else { return fragments }
        var present = [Bool](repeating: false, count: 256)
        for byte in text { present[Int(byte)] = true }
        tables.rawArena.withUnsafeBytes { arena in
            guard let arenaBase = arena.baseAddress else { return }
            for candidate in candidates {
                let range = tables.rawRange(Int(candidate))
                let needle = arenaBase + range.lowerBound
                let length = range.count
                guard length > 0, length <= text.count, present[Int(arena[range.lowerBound])] else { continue }
                var split: [Fragment] = []
                var changed = false
                for fragment in fragments {
                    guard case .text(let span) = fragment, span.count >= length else {
                        split.append(fragment)
                        continue
                    }
                    var start = span.lowerBound
                    var searchFrom = span.lowerBound
                    while let match = find(needle, length, in: base, from: searchFrom, to: span.upperBound) {
                        if match > start { split.append(.text(start..<match)) }
                        split.append(.token(candidate))
                        start = match + length
                        searchFrom = start
                        changed = true
                    }
                    if start < span.upperBound { split.append(.text(start..<span.upperBound)) }
                }
                if changed { fragments = split }
            }
        }
        return fragments
    }

    /// The first offset in `from..<to` where the `length` bytes at `needle` occur, or nil.
    private static func find(
        _ needle: UnsafeRawPointer, _ length: Int, in haystack: UnsafeRawPointer, from: Int, to: Int
    ) -> Int? {
        let first = Int32(needle.load(as: UInt8.self))
        var position = from
        while to - position >= length {
            guard let hit = memchr(haystack + position, first, to - position - length + 1) else { return nil }
            let offset = haystack.distance(to: UnsafeRawPointer(hit))
            if memcmp(haystack + offset, needle, length) == 0 { return offset }
            position = offset + 1
        }
        return nil
    }
}
