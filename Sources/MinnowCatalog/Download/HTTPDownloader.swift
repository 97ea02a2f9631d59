import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads one file over HTTP(S) into a `.partial` file, resuming an earlier partial download
/// with a `Range` request. It does not check or install the file (see ``FileVerifier``).
public struct HTTPDownloader: Sendable {
    /// Seconds without any data before the download fails.
    public var timeout: TimeInterval

    /// A downloader.
    public init(timeout: TimeInterval = 30) {
        self.timeout = timeout
    }

    /// Downloads `url` into `partial`, appending to what is there when the server honours a
    /// range request, and starting over when it does not. Returns when the server has sent the
    /// whole file; throws, leaving `partial` in place for a later resume, when it fails midway.
    public func download(
        _ url: URL, into partial: URL, progress: @escaping @Sendable (DownloadProgress) -> Void = { _ in }
    ) async throws(CatalogError) {
        let existing = FileVerifier.size(of: partial)
        if !FileManager.default.fileExists(atPath: partial.path) {
            guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                throw .fileSystem(path: partial.path, reason: "cannot create")
            }
        }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        if existing > 0 { request.setValue("bytes=\(existing)-", forHTTPHeaderField: "Range") }
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")

        let delegate = DownloadDelegate(partial: partial, resumeOffset: existing, source: url.absoluteString,
                                        progress: progress)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        let outcome: Result<Void, CatalogError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                delegate.start(continuation)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        if case .failure(let error) = outcome {
            // Keep a partial file only when it has bytes to resume from.
            if FileVerifier.size(of: partial) == 0 { try? FileManager.default.removeItem(at: partial) }
            throw Task.isCancelled ? .cancelled : error
        }
    }
}

/// Receives one download's response and bytes on the session's serial delegate queue.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let partial: URL
    private let source: String
    private let progress: @Sendable (DownloadProgress) -> Void
    private var resumeOffset: Int64
    private var received: Int64 = 0
    private var total: Int64?
    private var handle: FileHandle?
    private var failure: CatalogError?
    private var continuation: CheckedContinuation<Result<Void, CatalogError>, Never>?
    private let lock = NSLock()

    init(partial: URL, resumeOffset: Int64, source: String, progress: @escaping @Sendable (DownloadProgress) -> Void) {
        self.partial = partial
        self.resumeOffset = resumeOffset
        self.source = source
        self.progress = progress
    }

    func start(_ continuation: CheckedContinuation<Result<Void, CatalogError>, Never>) {
        lock.lock()
        self.continuation = continuation
        lock.unlock()
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            failure = .unreachable(source: source, reason: "not an HTTP response")
            completionHandler(.cancel)
            return
        }
        let length = response.expectedContentLength
        var offset: Int64 = 0
        switch http.statusCode {
        case 206:
            // Content-Range: bytes START-END/TOTAL; only a range that starts where the partial
            // file ends can be appended.
            let range = http.value(forHTTPHeaderField: "Content-Range") ?? ""
            let start = Self.rangeStart(range)
            guard start == resumeOffset else {
                failure = .unreachable(source: source, reason: "the server resumed at the wrong offset (\(range))")
                completionHandler(.cancel)
                return
            }
            offset = resumeOffset
            total = Self.rangeTotal(range) ?? (length >= 0 ? resumeOffset + length : nil)
        case 200:
            // The server sends the whole file: start over.
            total = length >= 0 ? length : nil
        default:
            failure = .httpStatus(source: source, status: http.statusCode)
            completionHandler(.cancel)
            return
        }
        do {
            let handle = try FileHandle(forWritingTo: partial)
            try handle.truncate(atOffset: UInt64(offset))
            try handle.seek(toOffset: UInt64(offset))
            self.handle = handle
        } catch {
            failure = .fileSystem(path: partial.path, reason: error.localizedDescription)
            completionHandler(.cancel)
            return
        }
        resumeOffset = offset
        received = offset
        progress(DownloadProgress(receivedBytes: received, totalBytes: total, resumedFrom: offset))
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil, let handle else { return }
        do {
            try handle.write(contentsOf: data)
        } catch {
            failure = .fileSystem(path: partial.path, reason: error.localizedDescription)
            dataTask.cancel()
            return
        }
        received += Int64(data.count)
        progress(DownloadProgress(receivedBytes: received, totalBytes: total, resumedFrom: resumeOffset))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        try? handle?.synchronize()
        try? handle?.close()
        handle = nil
        var result: Result<Void, CatalogError> = .success(())
        if let failure {
            result = .failure(failure)
        } else if let error {
            let nsError = error as NSError
            result = .failure(nsError.code == NSURLErrorCancelled
                ? .cancelled : .unreachable(source: source, reason: nsError.localizedDescription))
        } else if let total, received != total {
            result = .failure(.incomplete(file: partial.lastPathComponent, received: received, expected: total))
        }
        lock.lock()
        let continuation = self.continuation
        self.continuation = nil
        lock.unlock()
        continuation?.resume(returning: result)
    }

    /// START of `bytes START-END/TOTAL`.
    static func rangeStart(_ header: String) -> Int64? {
        guard let spec = header.split(separator: " ").last,
              let dash = spec.firstIndex(of: "-") else { return nil }
        return Int64(spec[spec.startIndex..<dash])
    }

    /// TOTAL of `bytes START-END/TOTAL`, unless `*`.
    static func rangeTotal(_ header: String) -> Int64? {
        guard let slash = header.lastIndex(of: "/") else { return nil }
        return Int64(header[header.index(after: slash)...])
    }
}
