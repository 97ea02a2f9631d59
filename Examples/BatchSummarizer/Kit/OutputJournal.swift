import Foundation

/// The output JSONL file: which ids it already has, and appending whole lines to it.
///
/// Each record is written with one `write(2)` on a descriptor opened with `O_APPEND`, so a killed
/// run leaves only whole lines (a torn last line, if the machine itself stops, is skipped when
/// the file is read again, and the next line starts on a fresh line).
public actor OutputJournal {
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var needsNewline: Bool
    /// Ids found in the file when it was opened.
    public nonisolated let existingIDs: Set<String>

    /// Opens (creating if needed) the file at `path` for appending, and holds an exclusive
    /// lock on it until the journal goes away, so that a second run writing the same file (by
    /// mistake, or a shard given the same output twice) is refused instead of interleaving
    /// records with this one. The kernel drops the lock when the process dies, so a killed run
    /// can be resumed at once.
    /// - Throws: ``SummarizerError/outputInUse(path:)`` when another journal holds the file,
    ///   ``SummarizerError/cannotWrite(path:reason:)`` when it cannot be opened.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw SummarizerError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            // A file system without locks (ENOLCK, EOPNOTSUPP) is written unlocked, as before.
            if reason == EWOULDBLOCK || reason == EAGAIN {
                close(fd)
                throw SummarizerError.outputInUse(path: path)
            }
        }
        // Read what is there only once the file is ours: no other run appends meanwhile.
        let (ids, endsWithNewline) = Self.scan(path)
        descriptor = fd
        closesDescriptor = true
        needsNewline = !endsWithNewline
        existingIDs = ids
    }

    /// The ids of the records in the file at `path` (none when there is no file), read without
    /// taking the file's lock.
    public static func recordedIDs(path: String) -> Set<String> { scan(path).ids }

    /// The ids of the records already in the file at `path` and whether it ends with a newline,
    /// read a line at a time (a line longer than any record, such as a torn or foreign one, is
    /// skipped without being held).
    private static func scan(_ path: String) -> (ids: Set<String>, endsWithNewline: Bool) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return ([], true) }
        defer { try? handle.close() }
        guard let end = try? handle.seekToEnd(), end > 0 else { return ([], true) }
        try? handle.seek(toOffset: end - 1)
        let endsWithNewline = (try? handle.read(upToCount: 1)) == Data([UInt8(ascii: "\n")])
        var ids: Set<String> = []
        let decoder = JSONDecoder()
        if var reader = try? LineReader(path: path, maximumLineBytes: maximumRecordBytes) {
            while let line = try? reader.next() {
                if case .text(_, let bytes) = line, let record = try? decoder.decode(SummaryRecord.self, from: Data(bytes)) {
                    ids.insert(record.id)
                }
            }
        }
        return (ids, endsWithNewline)
    }

    /// The longest output line read back when resuming; records are far shorter.
    static let maximumRecordBytes = 64 << 20

    /// Writes to standard output (nothing is resumed).
    public init(standardOutput: Void) {
        descriptor = STDOUT_FILENO
        closesDescriptor = false
        needsNewline = false
        existingIDs = []
    }

    deinit {
        if closesDescriptor { close(descriptor) }
    }

    /// Appends `record` as one JSON line, in a single write.
    public func append(_ record: SummaryRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8]()
        if needsNewline { bytes.append(UInt8(ascii: "\n")) }
        bytes += try encoder.encode(record)
        bytes.append(UInt8(ascii: "\n"))
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw SummarizerError.cannotWrite(path: "output", reason: String(cString: strerror(errno)))
            }
            offset += written
        }
        needsNewline = false
    }
}

/// Errors of the summarizer.
public enum SummarizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The output could not be opened or written.
    case cannotWrite(path: String, reason: String)
    /// The model failed on a document.
    case generationFailed(id: String, reason: String)
    /// Another run (this process or another) is writing the output file.
    case outputInUse(path: String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .generationFailed(let id, let reason): return "document \(id): \(reason)"
        case .outputInUse(let path):
            return "\(path) is being written by another minnow-summarize run; wait for it, or give another --output"
        }
    }
}
