/// Read-only access to decoded scalars and their classes, for the splitters' inner loops.
struct ScalarView {
    /// The scalar values.
    let scalars: UnsafeBufferPointer<UInt32>
    /// Their ``ScalarClass`` bits.
    let classes: UnsafeBufferPointer<UInt8>

    /// The class bits at `index`, or ``ScalarClass/outside`` at and past `end`.
    @inline(__always)
    func flags(_ index: Int, end: Int) -> UInt8 {
        index < end ? classes[index] : ScalarClass.outside
    }
}

/// The hand-written equivalents of llama.cpp's pre-tokenizer regexes.
///
/// Each function scans `range` of a ``ScalarView`` and reports word ends in order; the words
/// tile the range. Positions past the range's end count as "outside" (in no class), which is
/// how the regexes' lookaheads see the end of a fragment.
enum WordSplitter {
    private static let apostrophe: UInt32 = 0x27
    private static let space: UInt32 = 0x20
    private static let carriageReturn: UInt32 = 0x0D
    private static let lineFeed: UInt32 = 0x0A

    @inline(__always)
    private static func isLineBreak(_ value: UInt32) -> Bool {
        value == carriageReturn || value == lineFeed
    }

    /// The ASCII lowercase of `value` (other scalars unchanged). llama.cpp lowercases with its
    /// Unicode table, but no non-ASCII scalar lowercases to the letters the contractions test.
    @inline(__always)
    private static func asciiLower(_ value: UInt32) -> UInt32 {
        (0x41...0x5A).contains(value) ? value | 0x20 : value
    }

    /// The length of a contraction (`'s`, `'t`, `'m`, `'d`, `'re`, `'ve`, `'ll`) starting at
    /// `position`, or 0. `foldCase` accepts upper-case letters too.
    @inline(__always)
    private static func contractionLength(
        _ text: ScalarView, at position: Int, end: Int, foldCase: Bool
    ) -> Int {
        guard text.scalars[position] == apostrophe, position + 1 < end else { return 0 }
        let first = foldCase ? asciiLower(text.scalars[position + 1]) : text.scalars[position + 1]
        switch first {
        case 0x73, 0x74, 0x6D, 0x64: return 2  // s t m d
        default: break
        }
        guard position + 2 < end else { return 0 }
        let second = foldCase ? asciiLower(text.scalars[position + 2]) : text.scalars[position + 2]
        switch (first, second) {
        case (0x72, 0x65), (0x76, 0x65), (0x6C, 0x6C): return 3  // re ve ll
        default: return 0
        }
    }

    /// Runs a splitter over `range`: a contraction is a word; elsewhere `word` gives the end of
    /// the word that starts at its argument. Emits every word end.
    @inline(__always)
    private static func scan(
        _ text: ScalarView, _ range: Range<Int>, foldCase: Bool, emit: (Int) -> Void, word: (Int) -> Int
    ) {
        var position = range.lowerBound
        while position < range.upperBound {
            let length = contractionLength(text, at: position, end: range.upperBound, foldCase: foldCase)
            position = length > 0 ? position + length : word(position)
            emit(position)
        }
    }

    /// The end of the whitespace word at `position`: with `lineBreaks`, `\s*[\r\n]+` up to the
    /// run's last line break if it has one; else `\s+(?!\S)`, which leaves the last whitespace
    /// before a non-space to prefix the next word; else `\s+`. One scalar where there is no run.
    @inline(__always)
    private static func whitespaceEnd(_ text: ScalarView, at position: Int, end: Int, lineBreaks: Bool) -> Int {
        var spaces = 0
        var afterLastBreak = -1
        while text.flags(position + spaces, end: end) == ScalarClass.whitespace {
            if lineBreaks && isLineBreak(text.scalars[position + spaces]) { afterLastBreak = position + spaces + 1 }
            spaces += 1
        }
        if afterLastBreak >= 0 { return afterLastBreak }
        if spaces > 1 && position + spaces < end { return position + spaces - 1 }
        return position + max(spaces, 1)
    }

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`, with a
    /// final `\s+` for whitespace the lookahead leaves (as llama.cpp's splitter does).
    static func splitGPT2(_ text: ScalarView, _ range: Range<Int>, emit: (Int) -> Void) {
        let end = range.upperBound
        let classes = text.classes
        scan(text, range, foldCase: false, emit: emit) { start in
            var position = start
            let leadingSpace = text.scalars[position] == space
            let next = leadingSpace ? text.flags(position + 1, end: end) : classes[position]
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
            guard next == ScalarClass.letter || next == ScalarClass.number || ScalarClass.isOther(next) else {
                return whitespaceEnd(text, at: position, end: end, lineBreaks: false)
            }
            if leadingSpace { position += 1 }
            while position < end && classes[position] == next { position += 1 }
            return position
        }
    }

    /// Llama 3 (`maxDigits` 3) and Qwen2 (`maxDigits` 1):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|
    ///  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    static func splitLlama3(_ text: ScalarView, _ range: Range<Int>, maxDigits: Int, emit: (Int) -> Void) {
        let end = range.upperBound
        let classes = text.classes
        let scalars = text.scalars
        scan(text, range, foldCase: true, emit: emit) { start in
            var position = start
            let value = scalars[position]
            let current = classes[position]
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !isLineBreak(value) && current != ScalarClass.number
                && (current == ScalarClass.letter || text.flags(position + 1, end: end) == ScalarClass.letter) {
                position += 1
                while position < end && classes[position] == ScalarClass.letter { position += 1 }
                return position
            }
            // `\p{N}{1,maxDigits}`: one group; the next call continues a longer run.
            if current == ScalarClass.number {
                let limit = min(end, position + maxDigits)
                while position < limit && classes[position] == ScalarClass.number { position += 1 }
                return position
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let next = value == space ? text.flags(position + 1, end: end) : current
            guard ScalarClass.isOther(next) else {
                return whitespaceEnd(text, at: position, end: end, lineBreaks: true)
            }
            if value == space { position += 1 }
            while position < end && ScalarClass.isOther(classes[position]) { position += 1 }
            while position < end && isLineBreak(scalars[position]) { position += 1 }
            return position
        }
    }

    /// `\p{N}` applied as a split: each number scalar becomes its own piece, and the runs
    /// between them are pieces too. Calls `piece` with each piece's range.
    static func isolateNumbers(_ text: ScalarView, _ range: Range<Int>, piece: (Range<Int>) -> Void) {
        var start = range.lowerBound
        var position = range.lowerBound
        while position < range.upperBound {
            if text.classes[position] == ScalarClass.number {
                if position > start { piece(start..<position) }
                piece(position..<(position + 1))
                start = position + 1
            }
            position += 1
        }
        if start < range.upperBound { piece(start..<range.upperBound) }
    }
}
