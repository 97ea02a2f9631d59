import BatchSummarizerKit
import Foundation

/// Arbitrary bytes as a `minnow-summarize` JSONL input file. The first byte sets the line
/// reader's block size (1-16 bytes, so that lines straddle blocks), the second its longest line
/// (0-254 bytes, or unlimited); the rest is the file.
///
/// Properties checked: the line reader returns exactly the file's lines, in order, each either
/// whole or reported too long with its true length; and for valid UTF-8 without carriage returns,
/// reading the file line by line gives the same documents and problems as parsing it as one
/// text (`InputCollector.parseJSONL`).
enum JSONLFuzzTarget {
    /// One scratch file per process (libFuzzer runs inputs one at a time).
    static let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("minnow-fuzz-jsonl-\(ProcessInfo.processInfo.processIdentifier).jsonl").path

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 2 else { return }
        let blockSize = Int(bytes[0] & 15) + 1
        let maximumLineBytes = bytes[1] == 255 ? Int.max : Int(bytes[1])
        let content = Array(bytes[2...])
        guard FileManager.default.createFile(atPath: path, contents: Data(content)) else {
            preconditionFailure("cannot write \(path)")
        }
        checkLines(content, blockSize: blockSize, maximumLineBytes: maximumLineBytes)
        checkDocuments(content)
    }

    private static func checkLines(_ content: [UInt8], blockSize: Int, maximumLineBytes: Int) {
        var expected = content.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        if content.last == UInt8(ascii: "\n") || content.isEmpty { expected.removeLast() }
        var lines: [LineReader.Line] = []
        do {
            var reader = try LineReader(path: path, maximumLineBytes: maximumLineBytes, blockSize: blockSize)
            while let line = try reader.next() { lines.append(line) }
        } catch {
            preconditionFailure("reading \(path) failed: \(error)")
        }
        require(lines.count == expected.count, "the reader gave \(lines.count) lines for \(expected.count)")
        for (index, (line, want)) in zip(lines, expected).enumerated() {
            switch line {
            case .text(let number, let bytes):
                require(number == index + 1 && bytes == want && want.count <= maximumLineBytes, "line \(index + 1) is wrong")
            case .tooLong(let number, let length):
                require(number == index + 1 && length == want.count && length > maximumLineBytes, "line \(index + 1) is wrongly too long")
            }
        }
    }

    private static func checkDocuments(_ content: [UInt8]) {
        let collector = InputCollector()
        let (streamed, streamedProblems) = collector.readJSONL(path)
        guard let text = String(validating: content, as: UTF8.self), !content.contains(UInt8(ascii: "\r")) else { return }
        let (whole, wholeProblems) = InputCollector.parseJSONL(text, path: path)
        require(streamed.map(\.0) == whole.map(\.0) && streamed.map(\.1) == whole.map(\.1),
                "line-by-line reading and whole-text parsing give different documents")
        require(streamedProblems == wholeProblems, "line-by-line reading and whole-text parsing give different problems")
    }
}
