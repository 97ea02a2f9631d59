/// Splits generated text into reasoning and answer at R1's `<think>` and `</think>` tags.
///
/// The text arrives in arbitrary pieces, so a tag may be split across them; the splitter holds
/// back any suffix that could be the start of a tag. Two ways of starting are handled:
/// - the prompt already ends with `<think>` (R1 templates add it): the splitter starts inside the
///   reasoning and the model emits only `</think>`;
/// - otherwise, reasoning is recognised only when the output opens with `<think>` (after
///   optional whitespace); anything else is answer from the first character.
package struct ThinkTagSplitter {
    /// Where a piece of text belongs.
    package enum Channel: Equatable, Sendable {
        case reasoning
        case answer
    }

    /// A piece of text and its channel.
    package struct Piece: Equatable, Sendable {
        package var channel: Channel
        package var text: String
        package init(channel: Channel, text: String) {
            self.channel = channel
            self.text = text
        }
    }

    private enum State {
        /// At the start: waiting to see whether the output opens with `<think>`.
        case detecting
        case reasoning
        case answer
    }

    static let openTag = Array("<think>".utf8)
    static let closeTag = Array("</think>".utf8)

    private var state: State
    private var pending: [UInt8] = []
    /// Whether leading whitespace of the current channel is still to be dropped.
    private var trimLeading = true

    /// A splitter that starts inside the reasoning when `startsInReasoning` (the prompt opened
    /// the thought), or else detects an opening tag.
    package init(startsInReasoning: Bool) {
        state = startsInReasoning ? .reasoning : .detecting
    }

    /// Whether the text so far is inside the reasoning.
    package var isReasoning: Bool { state == .reasoning }

    /// Adds a piece of generated text and returns what can be emitted now.
    package mutating func feed(_ text: String) -> [Piece] {
        pending.append(contentsOf: text.utf8)
        var pieces: [Piece] = []
        var progressed = true
        while progressed {
            progressed = false
            switch state {
            case .detecting:
                let start = pending.firstIndex { !Self.isWhitespace($0) } ?? pending.count
                let rest = pending[start...]
                if rest.starts(with: Self.openTag) {
                    pending.removeSubrange(0..<(start + Self.openTag.count))
                    state = .reasoning
                    trimLeading = true
                    progressed = true
                } else if rest.isEmpty || Self.openTag.starts(with: rest) {
                    // Could still become `<think>`: wait for more text.
                } else {
                    state = .answer
                    trimLeading = false
                    progressed = true
                }
            case .reasoning:
                if let index = Self.firstIndex(of: Self.closeTag, in: pending) {
                    emit(pending[0..<index], to: .reasoning, into: &pieces)
                    pending.removeSubrange(0..<(index + Self.closeTag.count))
                    state = .answer
                    trimLeading = true
                    progressed = true
                } else {
                    let hold = Self.partialSuffixLength(of: Self.closeTag, in: pending)
                    emit(pending[0..<(pending.count - hold)], to: .reasoning, into: &pieces)
                    pending.removeSubrange(0..<(pending.count - hold))
                }
            case .answer:
                emit(pending[...], to: .answer, into: &pieces)
                pending.removeAll()
            }
        }
        return pieces
    }

    /// Closes the reasoning from outside (a thinking budget ran out): what is held becomes
    /// reasoning and the following text is answer.
    package mutating func closeReasoning() -> [Piece] {
        var pieces: [Piece] = []
        if state == .reasoning {
            emit(pending[...], to: .reasoning, into: &pieces)
        }
        pending.removeAll()
        state = .answer
        trimLeading = true
        return pieces
    }

    /// Releases whatever is held at the end of the generation.
    package mutating func flush() -> [Piece] {
        var pieces: [Piece] = []
        switch state {
        case .reasoning: emit(pending[...], to: .reasoning, into: &pieces)
        case .detecting, .answer:
            trimLeading = false
            emit(pending[...], to: .answer, into: &pieces)
        }
        pending.removeAll()
        return pieces
    }

    private mutating func emit(_ bytes: ArraySlice<UInt8>, to channel: Channel, into pieces: inout [Piece]) {
        var bytes = bytes
        if trimLeading {
            while let first = bytes.first, Self.isWhitespace(first) { bytes = bytes.dropFirst() }
            if bytes.isEmpty { return }
            trimLeading = false
        }
        guard !bytes.isEmpty else { return }
        let text = String(decoding: bytes, as: UTF8.self)
        if let last = pieces.last, last.channel == channel {
            pieces[pieces.count - 1].text += text
        } else {
            pieces.append(Piece(channel: channel, text: text))
        }
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        for start in 0...(haystack.count - needle.count)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// The length of the longest suffix of `haystack` that is a proper prefix of `needle`.
    private static func partialSuffixLength(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        let longest = min(needle.count - 1, haystack.count)
        guard longest > 0 else { return 0 }
        for length in stride(from: longest, through: 1, by: -1)
        where haystack[(haystack.count - length)...].elementsEqual(needle[0..<length]) {
            return length
        }
        return 0
    }
}
