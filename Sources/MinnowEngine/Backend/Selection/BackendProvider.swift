/// Supplies a backend: a name, a probe that says how well it would run a model (or why it
/// cannot), and a factory.
///
/// ``BackendSelector/select(from:for:)`` (the `.auto` choice of `LoadOptions`) probes every
/// provider, the app's and the built-in ones alike, and makes the backend of the highest
/// score. Scores of the built-in providers: ``BackendProbeResult/cpuScore`` for the CPU and
/// ``BackendProbeResult/gpuScore`` for a Vulkan GPU that holds the model.
public protocol BackendProvider: Sendable {
    /// A short name, such as `cpu` (the CLI's `--backend` takes it).
    var name: String { get }
    /// The name in sentences, such as `CPU`.
    var displayName: String { get }
    /// How well the provider's backend would run `workload`, or why it cannot. Cheap: it
    /// should not load weights.
    func probe(_ workload: BackendWorkload) -> BackendProbeResult
    /// A backend for `workload` (weights not loaded yet).
    func makeBackend(for workload: BackendWorkload) throws -> any Backend
}

extension BackendProvider {
    /// The ``name``.
    public var displayName: String { name }
}
