import Foundation

/// Reads a file handle to its end on a thread of its own (so that a pipe never fills while
/// another is read, and a test can watch the output grow).
public final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    public init(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock(); data.append(chunk); lock.unlock()
            }
            done.signal()
        }.start()
    }

    /// What has been read so far.
    public var text: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits for the end of the stream and returns everything.
    public func finish() -> String {
        done.wait()
        return text
    }
}
