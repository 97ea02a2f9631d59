// The code of the MinnowBackendSDK articles "Writing a kernel plugin" and "Writing a backend",
// compiled here; ArticleCodeTests checks that every Swift block of the articles appears in this
// file verbatim, and BackendSDKTests runs it.
import Foundation
import Minnow
import MinnowBackendSDK

// MARK: Writing a kernel plugin

/// A `Q8_0` kernel written plainly: for each block of 32, dw · da · Σ qw · qa.
func plainQ8_0Kernel() -> CPUMatrixKernel {
    CPUMatrixKernel(activations: .q8_0) { operands in
        let blockBytes = 34, blocks = operands.count / 32
        for row in 0..<operands.rows {
            let weights = operands.weights + row * operands.rowStride
            for column in 0..<operands.activationRows {
                let activations = operands.activations + column * operands.activationStride
                var sum: Float = 0
                for block in 0..<blocks {
                    let w = weights + block * blockBytes, a = activations + block * blockBytes
                    var dot: Int32 = 0
                    for i in 0..<32 {
                        dot += Int32(w.load(fromByteOffset: 2 + i, as: Int8.self))
                            * Int32(a.load(fromByteOffset: 2 + i, as: Int8.self))
                    }
                    let scale = halfToFloat(w.loadUnaligned(as: UInt16.self)) * halfToFloat(a.loadUnaligned(as: UInt16.self))
                    sum += scale * Float(dot)
                }
                operands.output[column * operands.outputStride + row] = sum
            }
        }
    }
}

/// IEEE half-precision bits as a Float.
func halfToFloat(_ bits: UInt16) -> Float {
    let sign: UInt32 = UInt32(bits & 0x8000) << 16
    let exponent = Int(bits >> 10) & 0x1F, mantissa = UInt32(bits & 0x3FF)
    if exponent == 0 { return (sign != 0 ? -1 : 1) * Float(mantissa) * 0x1p-24 }
    if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
    return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
}

/// The standard kernels, with the plain `Q8_0` kernel above them.
func registryWithPlainQ8_0() -> CPUKernelRegistry {
    var kernels = CPUKernelRegistry.standard
    kernels.register(plainQ8_0Kernel(), for: .q8_0, name: "plain-q8_0", priority: 1000)
    return kernels
}

/// A model whose `Q8_0` matrices run on the plain kernel.
func loadWithPlainQ8_0(_ url: URL) async throws -> Model {
    try await Model.load(from: url, options: LoadOptions(backend: .cpu(kernels: registryWithPlainQ8_0())))
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

/// A backend that runs graphs on another backend and counts them.
final class CountingBackend: Backend {
    let inner: any Backend
    let executions: ExecutionCounter

    init(inner: any Backend, executions: ExecutionCounter) {
        self.inner = inner
        self.executions = executions
    }

    var name: String { "counting" }
    var deviceDescription: String { "counting graphs on " + inner.deviceDescription }
    var capabilities: BackendCapabilities { inner.capabilities }
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
