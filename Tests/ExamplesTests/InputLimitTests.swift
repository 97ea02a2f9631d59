import BatchSummarizerKit
import Foundation
import Testing

/// Hostile inputs to the summarizer's reader: a JSONL line far longer than a document may be
/// (no newline at all), a plain-text file over the limit, and a long text to chunk. Each is
/// reported or handled without holding more than one allowed line in memory.
@Suite struct InputLimitTests {
    /// Writes `count` bytes of `byte` to `url` in blocks, never holding them all.
    private func writeRun(of byte: UInt8, count: Int, to handle: FileHandle) throws {
        let block = Data(repeating: byte, count: 1 << 16)
        var left = count
        while left > 0 {
            let part = min(left, block.count)
            try handle.write(contentsOf: block.prefix(part))
            left -= part
        }
    }

    @Test func aLineLongerThanTheLimitIsSkippedAndReported() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("docs.jsonl")
        try Data().write(to: file)
        let handle = try FileHandle(forWritingTo: file)
        try handle.write(contentsOf: Data("{\"id\": \"a\", \"text\": \"first\"}\n".utf8))
        try handle.write(contentsOf: Data("{\"id\": \"b\", \"text\": \"".utf8))
        try writeRun(of: UInt8(ascii: "x"), count: 3 << 20, to: handle)
        try handle.write(contentsOf: Data("\"}\n{\"id\": \"c\", \"text\": \"third\"}\n".utf8))
        // The last line: 2 MiB with no newline at all.
        try writeRun(of: UInt8(ascii: "y"), count: 2 << 20, to: handle)
        try handle.close()

        let collector = InputCollector(maximumDocumentBytes: 1 << 20)
        let (documents, problems) = collector.collect([file.path])
        #expect(documents.map(\.id) == ["a", "c"])
        #expect(problems.map(\.line) == [2, 4])
        #expect(problems.allSatisfy { $0.reason.contains("longer than the limit of \(1 << 20) bytes") })
        #expect(problems.first?.reason.contains("line of \((3 << 20) + 23) bytes") == true)
    }

    @Test func theLineReaderCountsLinesAcrossBlocks() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("lines.txt")
        try Data("one\n\ntwo-is-longer\nthree".utf8).write(to: file)
        var reader = try LineReader(path: file.path, maximumLineBytes: 5, blockSize: 3)
        var lines: [LineReader.Line] = []
        while let line = try reader.next() { lines.append(line) }
        #expect(lines == [
            .text(number: 1, bytes: Array("one".utf8)), .text(number: 2, bytes: []),
            .tooLong(number: 3, length: 13), .text(number: 4, bytes: Array("three".utf8)),
        ])
    }

    @Test func aTextFileOverTheLimitIsReportedNotRead() throws {
        let folder = try temporaryFolder()
        let big = folder.appendingPathComponent("big.txt")
        try Data(repeating: UInt8(ascii: "z"), count: 2 << 20).write(to: big)
        let small = folder.appendingPathComponent("small.txt")
        try Data("fine".utf8).write(to: small)
        let (documents, problems) = InputCollector(maximumDocumentBytes: 1 << 20).collect([folder.path])
        #expect(documents.map(\.text) == ["fine"])
        #expect(problems.count == 1)
        #expect(problems.first?.reason.contains("larger than the limit of \(1 << 20) bytes") == true)
    }

    /// A long text is cut in one pass: the pieces join back to the text and each fits the limit.
    /// (Each step used to count the whole rest of the text, which made this quadratic.)
    @Test func longTextsAreChunkedWhole() {
        let text = String(repeating: "word ", count: 400_000) + String(repeating: "x", count: 10_000)
        let pieces = TextChunker.split(text, limit: 1_000)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.count <= 1_000 })
        #expect(pieces.count >= text.count / 1_000)
    }
}
