/// How far a download has got.
public struct DownloadProgress: Sendable, Equatable {
    /// Bytes of the file on disk so far, including those of an earlier, resumed attempt.
    public var receivedBytes: Int64
    /// The size of the whole file, when the server said.
    public var totalBytes: Int64?
    /// Bytes already on disk when this attempt started (resumed from).
    public var resumedFrom: Int64

    /// A progress report.
    public init(receivedBytes: Int64, totalBytes: Int64?, resumedFrom: Int64) {
        self.receivedBytes = receivedBytes
        self.totalBytes = totalBytes
        self.resumedFrom = resumedFrom
    }
}
