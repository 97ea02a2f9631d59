/// Finds tool calls (`<tool_call>…</tool_call>`) in streamed answer text.
///
/// Text that might be the start of `<tool_call>` is held back until it is known not to be; the
/// text of a call is kept out of the answer.
struct ToolCallScanner {
    /// What a piece of answer text turned out to hold, in order.
    enum Output: Equatable {
        /// Answer text.
        case text(String)
        /// `<tool_call>` was written; the call's text so far follows it.
        case callStarted(bodySoFar: String)
        /// `</tool_call>` closed a call; its text between the tags.
        case call(body: String)
    }

    private var held = ""
    /// The text of the open call, or nil outside a call.
    private(set) var openCall: String?

    /// Scans the next piece of answer text.
    mutating func feed(_ text: String) -> [Output] {
        var outputs: [Output] = []
        var rest = held + text
        held = ""
        while !rest.isEmpty {
            if var body = openCall {
                body += rest
                rest = ""
                if let end = body.range(of: ToolCallSyntax.closing) {
                    outputs.append(.call(body: String(body[..<end.lowerBound])))
                    rest = String(body[end.upperBound...])
                    openCall = nil
                } else {
                    openCall = body
                }
            } else if let start = rest.range(of: ToolCallSyntax.opening) {
                if start.lowerBound > rest.startIndex { outputs.append(.text(String(rest[..<start.lowerBound]))) }
                let after = String(rest[start.upperBound...])
                outputs.append(.callStarted(bodySoFar: after))
                openCall = ""
                rest = after
            } else {
                let keep = Self.partialOpeningLength(at: rest)
                let cut = rest.index(rest.endIndex, offsetBy: -keep)
                if cut > rest.startIndex { outputs.append(.text(String(rest[..<cut]))) }
                held = String(rest[cut...])
                rest = ""
            }
        }
        return outputs
    }

    /// Ends the text: held text, and an unfinished call with its opening tag, come back as text.
    mutating func flush() -> String {
        defer {
            held = ""
            openCall = nil
        }
        if let body = openCall { return ToolCallSyntax.opening + body }
        return held
    }

    /// The length of the longest end of `text` that begins `<tool_call>`.
    private static func partialOpeningLength(at text: String) -> Int {
        let opening = ToolCallSyntax.opening
        for length in stride(from: min(opening.count - 1, text.count), to: 0, by: -1)
        where opening.hasPrefix(text.suffix(length)) {
            return length
        }
        return 0
    }
}
