/// Read-only access to decoded scalars and their classes, for the splitters' inner loops.
struct ScalarView {
    /// The scalar values.
    let scalars: UnsafeBufferPointer<UInt32>
    /// Their ``ScalarClass`` bits.
    let classes: UnsafeBufferPointer<UInt8>
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

    /// GPT-2: `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)`, with a
    /// final `\s+` for whitespace the lookahead leaves (as llama.cpp's splitter does).
    static func splitGPT2(_ text: ScalarView, _ range: Range<Int>, emit: (Int) -> Void) {
        let end = range.upperBound
        let classes = text.classes
        @inline(__always) func flags(_ index: Int) -> UInt8 {
            index < end ? classes[index] : ScalarClass.outside
        }
        var position = range.lowerBound
        while position < end {
            let length = contractionLength(text, at: position, end: end, foldCase: false)
            if length > 0 {
                position += length
                emit(position)
                continue
            }
            let value = text.scalars[position]
            let leadingSpace = value == space
            let next = leadingSpace ? flags(position + 1) : classes[position]
            // ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`
            if next == ScalarClass.letter || next == ScalarClass.number || ScalarClass.isOther(next) {
                if leadingSpace { position += 1 }
                while position < end && classes[position] == next { position += 1 }
                emit(position)
                continue
            }
            var spaces = 0
            while flags(position + spaces) == ScalarClass.whitespace { spaces += 1 }
            if spaces > 1 && position + spaces < end {
                // `\s+(?!\S)`: leave the last whitespace to prefix the next word.
                position += spaces - 1
            } else if spaces > 0 {
                position += spaces
            } else {
                position += 1
            }
            emit(position)
        }
    }

    /// Llama 3 (`maxDigits` 3) and Qwen2 (`maxDigits` 1):
    /// `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,maxDigits}|
    ///  ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`.
    static func splitLlama3(_ text: ScalarView, _ range: Range<Int>, maxDigits: Int, emit: (Int) -> Void) {
        let end = range.upperBound
        let classes = text.classes
        let scalars = text.scalars
        @inline(__always) func flags(_ index: Int) -> UInt8 {
            index < end ? classes[index] : ScalarClass.outside
        }
        var position = range.lowerBound
        while position < end {
            let length = contractionLength(text, at: position, end: end, foldCase: true)
            if length > 0 {
                position += length
                emit(position)
                continue
            }
            let value = scalars[position]
            let current = classes[position]
            // `[^\r\n\p{L}\p{N}]?\p{L}+`
            if !isLineBreak(value) && current != ScalarClass.number
                && (current == ScalarClass.letter || flags(position + 1) == ScalarClass.letter) {
                position += 1
                while position < end && classes[position] == ScalarClass.letter { position += 1 }
                emit(position)
                continue
            }
            // `\p{N}{1,maxDigits}`
            if current == ScalarClass.number {
                var groupStart = position
                while position < end && classes[position] == ScalarClass.number {
                    position += 1
                    if position - groupStart >= maxDigits {
                        emit(position)
                        groupStart = position
                    }
                }
                if position > groupStart { emit(position) }
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            let next = value == space ? flags(position + 1) : current
            if ScalarClass.isOther(next) {
                if value == space { position += 1 }
                while position < end && ScalarClass.isOther(classes[position]) { position += 1 }
                while position < end && isLineBreak(scalars[position]) { position += 1 }
                emit(position)
                continue
            }
            var spaces = 0
            var afterLastBreak = -1
            while flags(position + spaces) == ScalarClass.whitespace {
                if isLineBreak(scalars[position + spaces]) { afterLastBreak = position + spaces + 1 }
                spaces += 1
            }
            if afterLastBreak >= 0 {
                // `\s*[\r\n]+`
                position = afterLastBreak
            } else if spaces > 1 && position + spaces < end {
                // `\s+(?!\S)`
                position += spaces - 1
            } else if spaces > 0 {
                // `\s+`
                position += spaces
            } else {
                position += 1
            }
            emit(position)
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
