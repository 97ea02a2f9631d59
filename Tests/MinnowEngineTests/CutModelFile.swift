import Foundation

/// A temporary copy of the first bytes of a model file: a GGUF whose tensor data is cut.
struct CutModelFile {
    /// The copy.
    let url: URL

    /// Copies the first `bytes` bytes of `source` to a new temporary file.
    init(of source: URL, bytes: Int) throws {
        let handle = try FileHandle(forReadingFrom: source)
        defer { try? handle.close() }
        let prefix = try handle.read(upToCount: bytes) ?? Data()
        url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-cut-\(UUID().uuidString).gguf")
        try prefix.write(to: url)
    }

    /// Deletes the copy.
    func remove() { try? FileManager.default.removeItem(at: url) }
}
