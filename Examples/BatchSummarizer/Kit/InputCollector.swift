import Foundation

/// Reads the documents named on the command line: `.txt` and `.md` files (one document each,
/// the path as id), folders (their `.txt`, `.md` and `.jsonl` files, recursively, sorted), and
/// JSONL files with one `{"id": …, "text": …}` object per line.
///
/// Nothing here traps on bad input: a malformed line or an unreadable file becomes an
/// ``InputProblem`` and the rest is read.
public struct InputCollector: Sendable {
    /// Extensions read as one plain-text document each.
    public static let textExtensions: Set<String> = ["txt", "md"]

    /// A collector.
    public init() {}

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
                guard let text = readText(file, problems: &problems) else { continue }
                if ext == "jsonl" {
                    let (lines, lineProblems) = Self.parseJSONL(text, path: file)
                    problems += lineProblems
                    for (number, document) in lines { add(document, path: file, line: number) }
                } else {
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
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            let number = index + 1
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(trimmed.utf8))
            } catch {
                problems.append(InputProblem(path: path, line: number, reason: "not valid JSON"))
                continue
            }
            guard let fields = object as? [String: Any] else {
                problems.append(InputProblem(path: path, line: number, reason: "not a JSON object"))
                continue
            }
            let id: String
            switch fields["id"] {
            case let text as String where !text.isEmpty: id = text
            case let number as NSNumber: id = number.stringValue
            default:
                problems.append(InputProblem(path: path, line: number, reason: "missing \"id\" (a string or a number)"))
                continue
            }
            guard let body = fields["text"] as? String else {
                problems.append(InputProblem(path: path, line: number, reason: "missing \"text\" (a string)"))
                continue
            }
            documents.append((number, InputDocument(id: id, text: body)))
        }
        return (documents, problems)
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
