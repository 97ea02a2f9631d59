import Foundation

/// The folder where models are kept: `$MINNOW_MODELS`, or `~/.cache/minnow/models`.
///
/// A file under its final name is always whole: downloads are written under a `.partial` name
/// and renamed only after they have been checked.
public struct ModelCache: Sendable, Equatable {
    /// The folder.
    public var directory: URL

    /// A cache in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The cache named by the environment: `$MINNOW_MODELS`, else `~/.cache/minnow/models`.
    public static var standard: ModelCache {
        if let path = ProcessInfo.processInfo.environment["MINNOW_MODELS"], !path.isEmpty {
            return ModelCache(directory: URL(fileURLWithPath: path))
        }
        return ModelCache(directory: FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/minnow/models"))
    }

    /// Where a file of this name is kept once whole.
    public func url(for fileName: String) -> URL {
        directory.appendingPathComponent(fileName)
    }

    /// Where a download of this file is kept while it is incomplete.
    public func partialURL(for fileName: String) -> URL {
        directory.appendingPathComponent(fileName + ".partial")
    }

    /// The cached file of the first of `model`'s sources that is present, if any.
    public func cachedFile(for model: CatalogModel) -> URL? {
        for source in model.sources {
            let url = url(for: source.fileName)
            if FileManager.default.fileExists(atPath: url.path) { return url }
        }
        return nil
    }

    /// Creates the folder if needed.
    public func prepare() throws(CatalogError) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: directory.path, reason: "\(error.localizedDescription)")
        }
    }
}
