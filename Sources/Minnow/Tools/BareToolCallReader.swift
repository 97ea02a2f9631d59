import Foundation

/// Reads the tool calls that a Hermes-format model writes without their `<tool_call>` tags, as
/// Qwen2.5 models often do when calling is optional: at the very start of the answer, one or
/// more JSON objects `{"name": …, "arguments": …}` naming one of the tools, each bare or in a
/// Markdown fence (```` ```json ````). llama.cpp's Hermes parser accepts the same forms.
///
/// Text is held only while it can still be such a call: an answer that starts otherwise, or an
/// object whose first key is not `"name"`, is released at once; an object that names no tool, or
/// does not read as a call, is released whole when it closes. Bare calls are read as written:
/// unlike calls in tags, they are not held to the tools' grammar while they are generated.
struct BareToolCallReader {
    /// What a piece of text gave.
    struct Step: Equatable {
        /// Calls read, in order.
        var calls: [ToolCall] = []
        /// Text that is not a bare call, for the ordinary scan; nil while text is still held.
        /// Once set, the reader is done.
        var released: String?
    }

    /// The longest object held while it is undecided; anything longer is released as text.
    static let maximumHeldBytes = 1 << 16

    /// The tools' names: an object naming another is not a call.
    let names: Set<String>
    private var held: [UInt8] = []

    /// A reader of calls to the tools named `names`.
    init(names: Set<String>) {
        self.names = names
    }

    /// The text held back so far (given back when the answer ends undecided).
    var heldText: String { String(decoding: held, as: UTF8.self) }

    /// Reads the next piece of answer text.
    mutating func feed(_ text: String) -> Step {
        held += Array(text.utf8)
        var step = Step()
        while true {
            switch readCall(in: held) {
            case .call(let call, let end):
                step.calls.append(call)
                held.removeFirst(end)
            case .undecided where held.count <= Self.maximumHeldBytes:
                return step
            case .undecided, .notACall:
                step.released = heldText
                held = []
                return step
            }
        }
    }

    private enum Reading {
        case call(ToolCall, end: Int)
        case undecided
        case notACall
    }

    private static let fence = Array("```".utf8)
    private static let nameKey = Array("\"name\"".utf8)

    /// Reads one call at the start of `bytes` (after blanks).
    private func readCall(in bytes: [UInt8]) -> Reading {
        var position = Self.skipBlanks(bytes, from: 0)
        var fenced = false
        if position < bytes.count && bytes[position] == UInt8(ascii: "`") {
            switch Self.match(Self.fence, in: bytes, at: position) {
            case .partial: return .undecided
            case .mismatch: return .notACall
            case .full:
                guard let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) else {
                    // The fence's language tag is still being written: only `json` (or none) fits.
                    let tag = bytes[(position + 3)...]
                    return Array("json".utf8).starts(with: tag) ? .undecided : .notACall
                }
                let tag = String(decoding: bytes[(position + 3)..<newline], as: UTF8.self)
                guard ["", "json"].contains(tag.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    return .notACall
                }
                position = Self.skipBlanks(bytes, from: newline + 1)
                fenced = true
            }
        }
        guard position < bytes.count else { return .undecided }
        guard bytes[position] == UInt8(ascii: "{") else { return .notACall }
        let open = position
        let key = Self.skipBlanks(bytes, from: open + 1)
        switch Self.match(Self.nameKey, in: bytes, at: key) {
        case .partial: return .undecided
        case .mismatch: return .notACall
        case .full: break
        }
        guard let close = Self.objectEnd(bytes, from: open) else { return .undecided }
        guard let call = ToolCallSyntax.parseCall(String(decoding: bytes[open...close], as: UTF8.self)),
              names.contains(call.name)
        else { return .notACall }
        var end = close + 1
        if fenced {
            let closing = Self.skipBlanks(bytes, from: end)
            switch Self.match(Self.fence, in: bytes, at: closing) {
            case .partial: return .undecided
            case .full: end = closing + Self.fence.count
            case .mismatch: break  // An unclosed fence: the call stands, the rest is text.
            }
        }
        return .call(call, end: end)
    }

    private enum Match { case full, partial, mismatch }

    /// Whether `bytes` from `position` begins with `pattern` (`partial`: the bytes end first).
    private static func match(_ pattern: [UInt8], in bytes: [UInt8], at position: Int) -> Match {
        let available = bytes.count - position
        guard available > 0 else { return .partial }
        let compared = min(available, pattern.count)
        guard bytes[position..<(position + compared)].elementsEqual(pattern[..<compared]) else { return .mismatch }
        return compared == pattern.count ? .full : .partial
    }

    private static func skipBlanks(_ bytes: [UInt8], from start: Int) -> Int {
        var position = start
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        return position
    }

    /// The index of the `}` that closes the object opened at `open`, or nil while it is open.
    private static func objectEnd(_ bytes: [UInt8], from open: Int) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        for index in open..<bytes.count {
            let byte = bytes[index]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }
}
