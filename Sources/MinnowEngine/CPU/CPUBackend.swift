import Foundation
import MinnowCPUKernels
import MinnowGGUF

/// The pure-Swift CPU backend.
///
/// Weights stay in the memory map; matrix products convert the activations once per op to the
/// weight type's activation format (int8 blocks for quantized weights) and run the registered
/// kernel over row ranges on a persistent thread pool.
public final class CPUBackend: Backend, @unchecked Sendable {
    /// `cpu`.
    public let name = "cpu"
    /// The thread pool.
    package let pool: ThreadPool
    /// The matrix kernels, one per weight type, chosen from the registry when the backend was made.
    public let kernels: ResolvedCPUKernels
    private var plans: [PlanKey: CPUGraphPlan] = [:]
    private let lock = NSLock()

    private let executionLock = NSLock()

    private struct PlanKey: Hashable {
        let weights: ObjectIdentifier
        let batchSize: Int
        let nodeCount: Int
        let outputRows: Int
    }

    /// Where matrix weights are read from (see ``WeightPlacement``).
    package let weightPlacement: WeightPlacement

    /// Creates a backend running on `threads` threads (the caller included), with the best
    /// kernels of `kernels` this CPU runs, or those of `variant` (nil: `MINNOW_CPU_KERNELS`, or
    /// the best). Throws ``BackendError/unavailable(_:)`` when the variant is unknown or the CPU lacks it.
    public convenience init(threads: Int = CPUBackend.defaultThreadCount, kernels: CPUKernelRegistry = .standard,
                            variant: CPUKernelVariant? = nil) throws {
        try self.init(threads: threads, kernels: kernels, variant: variant, weightPlacement: .automatic)
    }

    /// As ``init(threads:kernels:variant:)``, with matrix weights read from `weightPlacement`.
    package init(threads: Int = CPUBackend.defaultThreadCount, kernels: CPUKernelRegistry = .standard,
                 variant: CPUKernelVariant? = nil, weightPlacement: WeightPlacement) throws {
        do {
            self.kernels = try kernels.resolve(forcing: variant ?? CPUKernelVariant.forced())
        } catch let error as CPUKernelError {
            throw BackendError.unavailable(error.description)
        }
        pool = ThreadPool(threadCount: threads)
        self.weightPlacement = weightPlacement
    }

    /// The number of online processors.
    public static var defaultThreadCount: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The CPU model and its SIMD features, from /proc/cpuinfo, and the kernel variant.
    public var deviceDescription: String {
        CPUInfo.summary + ", \(pool.threadCount) threads, \(kernels.variant.rawValue) kernels"
    }

    /// Whether an op can run with weights of `weightType`.
    public func supports(_ op: OpKind, weightType: GGMLType?) -> Bool {
        switch op {
        case .matmul:
            guard let weightType else { return false }
            return kernels.kernel(for: weightType) != nil
        case .embedding, .rmsNorm, .addBias:
            guard let weightType else { return false }
            return Dequantizer.supports(weightType)
        default:
            return true
        }
    }

    /// Checks the weights' sizes; matrices are read in place or from huge-page copies, as
    /// its weight placement says.
    public func loadWeights(_ weights: WeightSet) throws -> any LoadedWeights {
        try CPUWeights(weights, placement: weightPlacement, kernels: kernels)
    }

    /// Allocates a cache in memory.
    public func makeKVCache(_ spec: KVCacheSpec) throws -> any KVCacheStorage { CPUKVCache(spec: spec) }

    private func plan(for graph: Graph, weights loaded: CPUWeights) -> CPUGraphPlan {
        let weights = loaded.source
        let key = PlanKey(weights: ObjectIdentifier(loaded), batchSize: graph.batchSize, nodeCount: graph.nodes.count, outputRows: graph.shape(of: graph.output).rows)
        lock.lock()
        defer { lock.unlock() }
        if let plan = plans[key] { return plan }
        var scratch = 0
        for node in graph.nodes {
            if case .matmul(let x, let w) = node.op, let kernel = kernels.kernel(for: weights.info(w).type) {
                let shape = graph.shape(of: x)
                scratch = max(scratch, shape.rows * kernel.activationRowBytes(shape.columns))
            }
        }
        let plan = CPUGraphPlan(graph: graph, scratchBytes: scratch)
        // Every prompt length is a new shape: keep only a few plans' buffers alive.
        if plans.count >= 4 { plans.removeAll() }
        plans[key] = plan
        return plan
    }

    /// Runs the graph.
    public func execute(_ graph: Graph, inputs: GraphInputs, weights loaded: any LoadedWeights, cache anyCache: any KVCacheStorage) throws -> [Float] {
        guard let weights = loaded as? CPUWeights else { throw BackendError.foreignObject("the weights") }
        guard let cache = anyCache as? CPUKVCache else { throw BackendError.foreignObject("the KV cache") }
        try inputs.check(rows: graph.batchSize, cache: cache.spec)
        try validate(graph, weights: weights.source)
        // One graph at a time: the pool and the plans' buffers are shared.
        executionLock.lock()
        defer { executionLock.unlock() }
        let plan = plan(for: graph, weights: weights)
        let source = weights.source
        // Which tensor the scratch holds converted activations of, and in which format: q, k and v
        // (and gate and up) read the same normed input, which is then converted once.
        var converted: (tensor: Int, type: GGMLType)? = nil
        for (i, node) in graph.nodes.enumerated() {
            let out = plan.buffer(i)
            let shape = node.shape
            switch node.op {
            case .embedding(let table):
                try embed(inputs.tokens, table: table, weights: source, into: out)
            case .rmsNorm(let x, let w, let epsilon):
                let v = try vector(w, weights)
                let input = plan.buffer(x.index)
                v.withUnsafeBufferPointer { wp in
                    parallelRows(shape.rows) { r in
                        CPUElementwise.rmsNorm(input + r * shape.columns, weight: wp.baseAddress!, epsilon: epsilon,
                                               rows: 1, n: shape.columns, into: out + r * shape.columns)
                    }
                }
            case .matmul(let x, let w):
                try matmul(plan.buffer(x.index), tensor: x.index, shape: graph.shape(of: x), weight: w, weights: weights,
                           plan: plan, converted: &converted, into: out)
            case .addBias(let x, let b):
                let v = try vector(b, weights)
                v.withUnsafeBufferPointer { bp in
                    CPUElementwise.addBias(plan.buffer(x.index), bias: bp.baseAddress!, rows: shape.rows, n: shape.columns, into: out)
                }
            case .rope(let x, let heads, let config):
                let input = plan.buffer(x.index)
                if input != out { out.update(from: input, count: shape.rows * shape.columns) }
                parallelRows(shape.rows) { r in
                    CPURoPE.apply(out + r * shape.columns, rows: 1, heads: heads, headSize: shape.columns / heads,
                                  startPosition: inputs.positions[r], config: config)
                }
            case .attention(let q, let k, let v, let layer, let spec):
                CPUAttention.store(keys: plan.buffer(k.index), values: plan.buffer(v.index), layer: layer,
                                   inputs: inputs, cache: cache)
                let query = UnsafePointer(plan.buffer(q.index))
                let native = kernels.variant.cVariant.flatMap { minnow_attention_f16_kernel($0, Int64(spec.headSize)) }
                pool.run(tasks: shape.rows * spec.kvHeads) { task in
                    let row = task / spec.kvHeads
                    let target = CPUAttention.Target(sequence: inputs.sequences[row], position: inputs.positions[row])
                    CPUAttention.attend(query: query, row: row, kvHead: task % spec.kvHeads, layer: layer,
                                        target: target, spec: spec, cache: cache, native: native, into: out)
                }
            case .siluMul(let g, let u):
                let gate = plan.buffer(g.index), up = plan.buffer(u.index)
                let columns = shape.columns
                parallelRows(shape.rows) { r in
                    CPUElementwise.siluMul(gate: gate + r * columns, up: up + r * columns, count: columns, into: out + r * columns)
                }
            case .add(let a, let b):
                CPUElementwise.add(plan.buffer(a.index), plan.buffer(b.index), count: shape.rows * shape.columns, into: out)
            case .softmax(let x):
                CPUElementwise.softmax(plan.buffer(x.index), rows: shape.rows, n: shape.columns, into: out)
            case .lastRow(let x):
                let input = graph.shape(of: x)
                out.update(from: plan.buffer(x.index) + (input.rows - 1) * input.columns, count: input.columns)
            }
        }
        let result = graph.shape(of: graph.output)
        return Array(UnsafeBufferPointer(start: plan.buffer(graph.output.index), count: result.rows * result.columns))
    }

    private func parallelRows(_ rows: Int, _ body: (Int) -> Void) {
        if rows == 1 { body(0) } else { pool.run(tasks: rows, body) }
    }

    private func vector(_ w: WeightRef, _ weights: CPUWeights) throws -> [Float] {
        guard let v = weights.vectors[w.index] else {
            throw BackendError.badWeight(name: weights.source.info(w).name, reason: "expected a 1-D tensor")
        }
        return v
    }

    private func embed(_ tokens: [Int32], table: WeightRef, weights: WeightSet, into out: UnsafeMutablePointer<Float>) throws {
        let info = weights.info(table)
        let base = weights.bytes(table).baseAddress!
        for (r, token) in tokens.enumerated() {
            guard token >= 0, Int(token) < info.rowCount else { throw BackendError.invalidToken(token) }
            do {
                try Dequantizer.dequantize(info.type, from: base + Int(token) * info.rowBytes, count: info.rowLength,
                                           into: out + r * info.rowLength)
            } catch {
                throw BackendError.unsupported(op: .embedding, weightType: info.type, backend: name)
            }
        }
    }

    private func matmul(_ x: UnsafeMutablePointer<Float>, tensor: Int, shape: ActivationShape, weight: WeightRef, weights loaded: CPUWeights,
                        plan: CPUGraphPlan, converted: inout (tensor: Int, type: GGMLType)?, into out: UnsafeMutablePointer<Float>) throws {
        let info = loaded.source.info(weight)
        guard let kernel = kernels.kernel(for: info.type) else {
            throw BackendError.unsupported(op: .matmul, weightType: info.type, backend: name)
        }
        let n = shape.columns, outputs = info.rowCount, rows = shape.rows
        let actBytes = kernel.activationRowBytes(n)
        let activations = plan.scratch
        if converted?.tensor != tensor || converted?.type != kernel.activationType {
            parallelRows(rows) { r in kernel.quantize(x + r * n, n, activations + r * actBytes) }
            converted = (tensor, kernel.activationType)
        }
        let matrix = loaded.matrix(weight.index, pool: pool)
        guard let w = matrix.bytes.baseAddress else { throw BackendError.badWeight(name: info.name, reason: "no data") }
        let repacked = matrix.repacked ? kernel.repacking : nil
        let stride = repacked.map { $0.rowBytes(n) } ?? info.rowBytes
        let dotRows = repacked?.dotRows ?? kernel.dotRows
        // Chunks of weight rows (whole row groups of a repacked layout): enough tasks to balance
        // threads, each chunk's rows reused from cache for every activation row of the batch.
        let group = repacked?.rowGroup ?? 1
        let chunk = (max(16, min(256, outputs / (pool.threadCount * 8))) + group - 1) / group * group
        let chunks = (outputs + chunk - 1) / chunk
        pool.run(tasks: chunks) { c in
            let start = c * chunk
            let count = min(chunk, outputs - start)
            dotRows(w + start * stride, stride, count, activations, actBytes, rows, n, out + start, outputs)
        }
    }
}
