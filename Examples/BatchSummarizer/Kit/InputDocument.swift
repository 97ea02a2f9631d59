/// One document to summarize.
public struct InputDocument: Sendable, Equatable {
    /// Its id: the JSONL `id`, or the file's path.
    public var id: String
    /// Its text.
    public var text: String

    /// A document.
    public init(id: String, text: String) {
        self.id = id
        self.text = text
    }
}

/// An input that was skipped: a malformed JSONL line or an unreadable file.
public struct InputProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The line number (from 1) for a JSONL line; nil for a whole file.
    public var line: Int?
    /// What is wrong.
    public var reason: String

    /// A problem.
    public init(path: String, line: Int? = nil, reason: String) {
        self.path = path
        self.line = line
        self.reason = reason
    }

    /// `path:line: reason`.
    public var description: String {
        line.map { "\(path):\($0): \(reason)" } ?? "\(path): \(reason)"
    }
}
