import Foundation
import Minnow

/// A saved conversation: what `/save` writes and `/load` reads (JSON).
public struct TranscriptFile: Codable, Sendable, Equatable {
    /// The format version.
    public var version: Int
    /// The model's name when it was saved (for information).
    public var model: String
    /// The messages, the system prompt first if any.
    public var messages: [ChatMessage]

    /// A saved conversation.
    public init(model: String, messages: [ChatMessage]) {
        self.version = 1
        self.model = model
        self.messages = messages
    }

    /// Writes the conversation to `url`, atomically.
    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }

    /// Reads a conversation saved by ``write(to:)``.
    public static func read(from url: URL) throws -> TranscriptFile {
        try JSONDecoder().decode(TranscriptFile.self, from: Data(contentsOf: url))
    }
}
