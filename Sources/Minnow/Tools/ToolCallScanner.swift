/// Finds tool calls in streamed answer text, in a model's ``ToolCallFormat``.
///
/// Calls come in blocks: `<tool_call>…</tool_call>` (Hermes: one call) or
/// `<｜tool▁calls▁begin｜>…<｜tool▁calls▁end｜>` (DeepSeek-R1: one or more
/// `<｜tool▁call▁begin｜>…<｜tool▁call▁end｜>`). Text that might be the start of a block's opening
/// is held back until it is known not to be; the text of a block is kept out of the answer. Each
/// call is read as soon as it is closed. A call that does not read is kept as answer text; so is
/// a whole block none of whose calls read.
struct ToolCallScanner {
    /// What a piece of answer text turned out to hold, in order.
    enum Output: Equatable {
        /// Answer text.
        case text(String)
        /// A block's opening was written; the block's text so far follows it.
        case blockStarted(bodySoFar: String)
        /// A call was closed and read.
        case call(ToolCall)
        /// The block was closed; `text` is what of it stays answer text (empty when every call in
        /// it was read).
        case blockEnded(text: String)
    }

    /// The block being written.
    private struct Block {
        /// The block's text already gone through (read calls and the text around them).
        var consumed = ""
        /// The block's text not yet gone through.
        var pending = ""
        /// How many calls of the block were read.
        var calls = 0
        /// The text of calls that did not read.
        var unread: [String] = []
    }

    let format: ToolCallFormat
    private var held = ""
    private var block: Block?
    /// Reads untagged calls at the start of the answer, until the answer turns out to be text.
    private var bareReader: BareToolCallReader?

    /// A scanner of `format`'s calls. With `bareCallsNaming` (Hermes only), the answer may also
    /// begin with untagged calls to those tools (``BareToolCallReader``).
    init(format: ToolCallFormat = .hermes, bareCallsNaming names: Set<String> = []) {
        self.format = format
        if format == .hermes && !names.isEmpty { bareReader = BareToolCallReader(names: names) }
    }

    /// Whether a block is open (its opening was written, its closing not yet).
    var isInsideBlock: Bool { block != nil }

    /// Scans the next piece of answer text.
    mutating func feed(_ text: String) -> [Output] {
        var outputs: [Output] = []
        var text = text
        if var reader = bareReader {
            let step = reader.feed(text)
            outputs += step.calls.map { .call($0) }
            guard let released = step.released else {
                bareReader = reader
                return outputs
            }
            bareReader = nil
            text = released
        }
        var rest = held + text
        held = ""
        while !rest.isEmpty {
            if var open = block {
                open.pending += rest
                rest = ""
                if let after = scan(&open, into: &outputs) {
                    rest = after
                    block = nil
                } else {
                    block = open
                }
            } else if let start = rest.range(of: format.blockOpening) {
                if start.lowerBound > rest.startIndex { outputs.append(.text(String(rest[..<start.lowerBound]))) }
                let after = String(rest[start.upperBound...])
                outputs.append(.blockStarted(bodySoFar: after))
                block = Block()
                rest = after
            } else {
                let keep = Self.partialLength(of: format.blockOpening, at: rest)
                let cut = rest.index(rest.endIndex, offsetBy: -keep)
                if cut > rest.startIndex { outputs.append(.text(String(rest[..<cut]))) }
                held = String(rest[cut...])
                rest = ""
            }
        }
        return outputs
    }

    /// Ends the text: held text, and the unread part of an unfinished block (with its opening
    /// when none of its calls was read), come back as text.
    mutating func flush() -> String {
        defer {
            held = ""
            block = nil
            bareReader = nil
        }
        if let reader = bareReader { return reader.heldText }
        guard let open = block else { return held }
        if open.calls == 0 { return format.blockOpening + open.consumed + open.pending }
        return open.unread.joined() + (Self.isBlank(open.pending) ? "" : open.pending)
    }

    /// Reads the calls closed in `open`'s pending text. Returns the text after the block's
    /// closing when it was written, nil while the block stays open.
    private func scan(_ open: inout Block, into outputs: inout [Output]) -> String? {
        while true {
            let end = open.pending.range(of: format.blockClosing)
            if let markers = format.callMarkers, let callEnd = open.pending.range(of: markers.closing),
               end.map({ callEnd.lowerBound < $0.lowerBound }) ?? true {
                // A DeepSeek call closed: read the text from its opening.
                let segment = String(open.pending[..<callEnd.upperBound])
                open.pending = String(open.pending[callEnd.upperBound...])
                open.consumed += segment
                let call = segment.range(of: markers.opening).flatMap { start in
                    ToolCallSyntax.parseCall(
                        String(segment[start.upperBound..<segment.index(segment.endIndex, offsetBy: -markers.closing.count)]),
                        format: format)
                }
                if let call {
                    open.calls += 1
                    outputs.append(.call(call))
                } else {
                    open.unread.append(segment.drop(while: \.isWhitespace).description)
                }
                continue
            }
            guard let end else { return nil }
            let segment = String(open.pending[..<end.lowerBound])
            let after = String(open.pending[end.upperBound...])
            if format.callMarkers == nil, let call = ToolCallSyntax.parseCall(segment, format: format) {
                // A Hermes block is one call.
                open.calls += 1
                outputs.append(.call(call))
            } else if !Self.isBlank(segment) {
                open.unread.append(segment)
            }
            let text = open.calls == 0
                ? format.blockOpening + open.consumed + segment + format.blockClosing
                : open.unread.joined()
            outputs.append(.blockEnded(text: text))
            return after
        }
    }

    private static func isBlank(_ text: String) -> Bool {
        text.allSatisfy(\.isWhitespace)
    }

    /// The length of the longest end of `text` that begins `opening`.
    private static func partialLength(of opening: String, at text: String) -> Int {
        for length in stride(from: min(opening.count - 1, text.count), to: 0, by: -1)
        where opening.hasPrefix(text.suffix(length)) {
            return length
        }
        return 0
    }
}
