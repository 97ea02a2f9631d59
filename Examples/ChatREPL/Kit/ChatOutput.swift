import Foundation

/// Where the REPL writes: the answer stream, reasoning and notices.
public protocol ChatOutput: Sendable {
    /// Writes text as is, immediately.
    func write(_ text: String)
}

/// Standard output, unbuffered.
public struct StandardOutput: ChatOutput {
    /// Standard output.
    public init() {}

    /// Writes to file descriptor 1 at once.
    public func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}

/// How reasoning (R1's `<think>` text) is shown.
public enum ReasoningDisplay: String, Sendable, CaseIterable {
    /// Shown dimmed (ANSI faint) on a terminal; like `show` elsewhere.
    case dim
    /// Shown as plain text, between `<think>` and `</think>` lines.
    case show
    /// Not shown (it is still generated).
    case hide
}

/// ANSI styling, on or off.
public struct TextStyle: Sendable {
    /// Whether escape sequences are written.
    public var enabled: Bool

    /// A style; `enabled` is usually whether output is a terminal.
    public init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Faint text.
    public var dim: String { enabled ? "\u{1B}[2m" : "" }
    /// Bold text.
    public var bold: String { enabled ? "\u{1B}[1m" : "" }
    /// Back to normal.
    public var reset: String { enabled ? "\u{1B}[0m" : "" }
}
