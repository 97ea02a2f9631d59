/// The backend a selection chose, and for `.auto` a line saying which and why.
public struct BackendSelection {
    /// The backend; its weights are not loaded yet.
    public let backend: any Backend
    /// For `.auto`, "backend auto: using Vulkan on …" or "backend auto: using CPU (why the
    /// better-scored providers could not run the model)"; nil for an explicit choice.
    public let note: String?

    /// A selection.
    public init(backend: any Backend, note: String?) {
        self.backend = backend
        self.note = note
    }
}
