import Dispatch
import Foundation

/// Turns SIGINT (Ctrl-C) into a callback instead of ending the program.
public final class InterruptHandler: @unchecked Sendable {
    private let source: any DispatchSourceSignal

    /// Installs the handler; keep the instance alive as long as it should work.
    public init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: action)
        source.resume()
        self.source = source
    }

    /// Removes the handler: SIGINT ends the program again.
    public func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
