// The code of the MinnowBackendSDK articles "Writing a kernel plugin" and "Writing a backend",
// compiled here; ArticleCodeTests checks that every Swift block of the articles appears in this
// file verbatim, and BackendSDKTests runs it.
import Foundation
import Minnow
import MinnowBackendSDK

// MARK: Writing a kernel plugin
// The kernel itself is Examples/KernelPlugin's (KernelPlugin/ holds links to its files).

/// The standard kernels, with the plain `Q8_0` kernel above them.
func registryWithPlainQ8_0(counting calls: CallCount) -> CPUKernelRegistry {
    var kernels = CPUKernelRegistry.standard
    kernels.register(PlainQ8_0Kernel.make(counting: calls), for: .q8_0, name: "plain-swift", priority: 1000)
    return kernels
}

/// A model whose `Q8_0` matrices run on the plain kernel.
func loadWithPlainQ8_0(_ url: URL, counting calls: CallCount) async throws -> Model {
    let kernels = registryWithPlainQ8_0(counting: calls)
    return try await Model.load(from: url, options: LoadOptions(backend: .cpu(kernels: kernels)))
}

// MARK: Writing a backend

/// A count shared by the threads that run graphs.
final class ExecutionCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Adds one.
    func increment() {
        lock.lock()
        count += 1
        lock.unlock()
    }

    /// The count so far.
    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }
}

/// A backend that runs graphs on another backend and counts them. It claims `capabilities`:
/// by default the inner backend's, or less.
final class CountingBackend: Backend {
    let inner: any Backend
    let executions: ExecutionCounter
    let capabilities: BackendCapabilities

    init(inner: any Backend, executions: ExecutionCounter, capabilities: BackendCapabilities? = nil) {
        self.inner = inner
        self.executions = executions
        self.capabilities = capabilities ?? inner.capabilities
    }

    var name: String { "counting" }
    var deviceDescription: String { "counting graphs on " + inner.deviceDescription }
    func loadWeights(_ weights: WeightSet) throws -> any LoadedWeights { try inner.loadWeights(weights) }
    func makeKVCache(_ spec: KVCacheSpec) throws -> any KVCacheStorage { try inner.makeKVCache(spec) }
    func execute(_ graph: Graph, inputs: GraphInputs, weights: any LoadedWeights,
                 cache: any KVCacheStorage) throws -> [Float] {
        executions.increment()
        return try inner.execute(graph, inputs: inputs, weights: weights, cache: cache)
    }
}

/// Offers the counting backend with `score`.
struct CountingProvider: BackendProvider {
    let executions: ExecutionCounter
    var score = BackendProbeResult.gpuScore + 1000

    var name: String { "counting" }
    func probe(_ workload: BackendWorkload) -> BackendProbeResult { .score(score) }
    func makeBackend(for workload: BackendWorkload) throws -> any Backend {
        CountingBackend(inner: try CPUBackendProvider().makeBackend(), executions: executions)
    }
}

/// A model on the counting backend when `.auto` ranks it first (it does: its score is the highest).
func loadCounting(_ url: URL, executions: ExecutionCounter) async throws -> Model {
    let options = LoadOptions(backend: .auto, backendProviders: [CountingProvider(executions: executions)])
    return try await Model.load(from: url, options: options)
}
