import Foundation

/// Reads a file line by line in fixed-size blocks, holding at most one line of up to
/// `maximumLineBytes` in memory: a longer line (a file of gigabytes with no newline, say) is
/// skipped as it streams past and reported by its number and length, never buffered.
public struct LineReader {
    /// One line of the file.
    public enum Line: Equatable, Sendable {
        /// A line (without its `\n`) and its number, from 1.
        case text(number: Int, bytes: [UInt8])
        /// A line longer than the limit, skipped: its number and its length in bytes.
        case tooLong(number: Int, length: Int)
    }

    private let handle: FileHandle
    private let maximumLineBytes: Int
    private let blockSize: Int
    private var block: [UInt8] = []
    private var offset = 0
    private var atEnd = false
    private var number = 0

    /// Opens `path`; throws when it cannot be opened.
    /// - Parameters:
    ///   - maximumLineBytes: The longest line kept; longer ones come back as ``Line/tooLong(number:length:)``.
    ///   - blockSize: How many bytes one read takes.
    public init(path: String, maximumLineBytes: Int, blockSize: Int = 1 << 20) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        self.maximumLineBytes = maximumLineBytes
        self.blockSize = max(1, blockSize)
    }

    /// The next line, or nil at the end of the file. A last line without `\n` counts; an empty
    /// file has no lines.
    public mutating func next() throws -> Line? {
        var line: [UInt8] = []
        var length = 0
        var sawAnything = false
        while true {
            if offset == block.count {
                if atEnd { break }
                block = Array(try handle.read(upToCount: blockSize) ?? Data())
                offset = 0
                if block.isEmpty { atEnd = true; break }
            }
            sawAnything = true
            let newline = block[offset...].firstIndex(of: UInt8(ascii: "\n"))
            let piece = block[offset..<(newline ?? block.count)]
            length += piece.count
            if length <= maximumLineBytes { line.append(contentsOf: piece) } else { line = [] }
            offset = newline.map { $0 + 1 } ?? block.count
            if newline != nil { return finish(line, length) }
        }
        return sawAnything ? finish(line, length) : nil
    }

    private mutating func finish(_ line: [UInt8], _ length: Int) -> Line {
        number += 1
        return length > maximumLineBytes ? .tooLong(number: number, length: length) : .text(number: number, bytes: line)
    }
}
