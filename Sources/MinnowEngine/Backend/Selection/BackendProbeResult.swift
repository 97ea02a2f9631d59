/// A provider's answer to ``BackendProvider/probe(_:)``.
public enum BackendProbeResult: Sendable, Equatable {
    /// It can run the workload; higher is better.
    case score(Int)
    /// It cannot, and why, in words (shown in ``BackendSelection/note``).
    case cannotRun(reason: String)

    /// The built-in CPU backend's score.
    public static let cpuScore = 100
    /// The built-in Vulkan backend's score on a GPU that holds the model and its cache.
    public static let gpuScore = 200
}
