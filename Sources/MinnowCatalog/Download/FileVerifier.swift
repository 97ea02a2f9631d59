import Foundation

/// Checks a finished download before it is renamed into place.
public enum FileVerifier {
    /// The sha256 of the file at `url`, read in 4 MiB pieces.
    public static func sha256(of url: URL) throws(CatalogError) -> String {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw .fileSystem(path: url.path, reason: "cannot read: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 4 << 20)
            } catch {
                throw .fileSystem(path: url.path, reason: "read failed: \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            chunk.withUnsafeBytes { hasher.update(buffer: $0) }
        }
        return hasher.hexDigest()
    }

    /// Whether the file at `url` starts with the GGUF magic.
    public static func hasGGUFMagic(_ url: URL) -> Bool {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4) else { return false }
        return head.elementsEqual("GGUF".utf8)
    }

    /// The size of the file at `url`, or 0 when there is none.
    public static func size(of url: URL) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Checks the finished file at `partial` (its sha256 when `expectedSHA256` is given, and the
    /// GGUF magic), then renames it to `destination` in one atomic step. A file that fails a
    /// check is deleted. Returns the file's sha256.
    @discardableResult
    public static func verifyAndInstall(
        partial: URL, destination: URL, expectedSHA256: String?, requireGGUF: Bool = true
    ) throws(CatalogError) -> String {
        let name = destination.lastPathComponent
        if requireGGUF && !hasGGUFMagic(partial) {
            try? FileManager.default.removeItem(at: partial)
            throw .notGGUF(file: name)
        }
        let actual = try sha256(of: partial)
        if let expected = expectedSHA256, expected.lowercased() != actual {
            try? FileManager.default.removeItem(at: partial)
            throw .checksumMismatch(file: name, expected: expected.lowercased(), actual: actual)
        }
        // rename(2) within one folder: readers see either no file or the whole file.
        if rename(partial.path, destination.path) != 0 {
            throw .fileSystem(path: destination.path, reason: "rename failed: \(String(cString: strerror(errno)))")
        }
        return actual
    }
}
