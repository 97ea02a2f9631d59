import Foundation

/// Lines of standard input as an async sequence, read on a thread of their own so that no
/// task blocks. It ends at end of input (Ctrl-D on a terminal).
public enum LineSource {
    /// The lines of standard input, without their newlines.
    public static func standardInput() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let thread = Thread {
            while let line = readLine(strippingNewline: true) {
                continuation.yield(line)
            }
            continuation.finish()
        }
        thread.start()
        return stream
    }
}
