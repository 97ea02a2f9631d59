import Foundation

/// Reads the documents named on the command line: `.txt` and `.md` files (one document each,
/// the path as id), folders (their `.txt`, `.md` and `.jsonl` files, recursively, sorted), and
/// JSONL files with one `{"id": …, "text": …}` object per line.
///
/// Nothing here traps on bad input: a malformed line, an unreadable file, or a document larger
/// than ``maximumDocumentBytes`` becomes an ``InputProblem`` and the rest is read. JSONL files
/// are streamed line by line, so a line of gigabytes is skipped without being held in memory.
public struct InputCollector: Sendable {
    /// Extensions read as one plain-text document each.
    public static let textExtensions: Set<String> = ["txt", "md"]

    /// The largest document read, in bytes: a plain-text file, or one JSONL line.
    public var maximumDocumentBytes: Int

    /// A collector; documents above `maximumDocumentBytes` (64 MiB by default, far more than a
    /// model's context) are reported and skipped.
    public init(maximumDocumentBytes: Int = 64 << 20) {
        self.maximumDocumentBytes = maximumDocumentBytes
    }

    /// The documents of `paths`, in order, and the problems met. Later duplicates of an id are
    /// reported and skipped.
    public func collect(_ paths: [String]) -> (documents: [InputDocument], problems: [InputProblem]) {
        var documents: [InputDocument] = []
        var problems: [InputProblem] = []
        var seen: Set<String> = []
        func add(_ document: InputDocument, path: String, line: Int?) {
            if seen.insert(document.id).inserted {
                documents.append(document)
            } else {
                problems.append(InputProblem(path: path, line: line, reason: "duplicate id \"\(document.id)\""))
            }
        }
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(InputProblem(path: path, reason: "no such file or folder"))
                continue
            }
            let files = isDirectory.boolValue ? filesInFolder(path, problems: &problems) : [path]
            for file in files {
                let ext = (file as NSString).pathExtension.lowercased()
                if ext == "jsonl" {
                    let (lines, lineProblems) = readJSONL(file)
                    problems += lineProblems
                    for (number, document) in lines { add(document, path: file, line: number) }
                } else if let text = readText(file, problems: &problems) {
                    add(InputDocument(id: file, text: text), path: file, line: nil)
                }
            }
        }
        return (documents, problems)
    }

    /// The documents of a JSONL text, each with its line number, and the malformed lines.
    public static func parseJSONL(_ text: String, path: String) -> ([(Int, InputDocument)], [InputProblem]) {
        var documents: [(Int, InputDocument)] = []
        var problems: [InputProblem] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            parseLine(Substring(line), number: index + 1, path: path, into: &documents, problems: &problems)
        }
        return (documents, problems)
    }

    /// The documents of the JSONL file at `path`, read line by line; a line longer than
    /// ``maximumDocumentBytes`` is reported and skipped without being held in memory.
    public func readJSONL(_ path: String) -> ([(Int, InputDocument)], [InputProblem]) {
        var documents: [(Int, InputDocument)] = []
        var problems: [InputProblem] = []
        do {
            var reader = try LineReader(path: path, maximumLineBytes: maximumDocumentBytes)
            while let line = try reader.next() {
                switch line {
                case .tooLong(let number, let length):
                    problems.append(InputProblem(path: path, line: number, reason:
                        "line of \(length) bytes is longer than the limit of \(maximumDocumentBytes) bytes for one document"))
                case .text(let number, let bytes):
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        problems.append(InputProblem(path: path, line: number, reason: "not UTF-8 text"))
                        continue
                    }
                    Self.parseLine(Substring(text), number: number, path: path, into: &documents, problems: &problems)
                }
            }
        } catch {
            problems.append(InputProblem(path: path, reason: "cannot read the file"))
        }
        return (documents, problems)
    }

    /// Parses one JSONL line (number `number`, from 1), appending its document or its problem.
    private static func parseLine(
        _ line: Substring, number: Int, path: String,
        into documents: inout [(Int, InputDocument)], problems: inout [InputProblem]
    ) {
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { return }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(trimmed.utf8))
        } catch {
            problems.append(InputProblem(path: path, line: number, reason: "not valid JSON"))
            return
        }
        guard let fields = object as? [String: Any] else {
            problems.append(InputProblem(path: path, line: number, reason: "not a JSON object"))
            return
        }
        let id: String
        switch fields["id"] {
        case let text as String where !text.isEmpty: id = text
        case let number as NSNumber: id = number.stringValue
        default:
            problems.append(InputProblem(path: path, line: number, reason: "missing \"id\" (a string or a number)"))
            return
        }
        guard let body = fields["text"] as? String else {
            problems.append(InputProblem(path: path, line: number, reason: "missing \"text\" (a string)"))
            return
        }
        documents.append((number, InputDocument(id: id, text: body)))
    }

    private func filesInFolder(_ folder: String, problems: inout [InputProblem]) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else {
            problems.append(InputProblem(path: folder, reason: "cannot list the folder"))
            return []
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let ext = (relative as NSString).pathExtension.lowercased()
            guard Self.textExtensions.contains(ext) || ext == "jsonl" else { continue }
            files.append((folder as NSString).appendingPathComponent(relative))
        }
        return files.sorted()
    }

    private func readText(_ path: String, problems: inout [InputProblem]) -> String? {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
           size.int64Value > Int64(maximumDocumentBytes) {
            problems.append(InputProblem(path: path, reason:
                "file of \(size.int64Value) bytes is larger than the limit of \(maximumDocumentBytes) bytes for one document"))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            problems.append(InputProblem(path: path, reason: "cannot read the file"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            problems.append(InputProblem(path: path, reason: "not UTF-8 text"))
            return nil
        }
        return text
    }
}
