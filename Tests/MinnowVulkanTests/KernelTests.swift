import Foundation
import MinnowGGUF
import MinnowVulkan
import MinnowTestTraits
import Testing

/// Each shader against a CPU reference on random inputs of awkward sizes (row counts that do
/// not divide the workgroup tiling, token counts that do not fill a column tile).
@Suite("Vulkan kernels", .offPool, .enabled(if: VulkanTestDevice.available))
struct KernelTests {
    let device: VulkanDevice
    let kernels: VulkanKernels
    let stream: CommandStream

    init() throws {
        device = try VulkanTestDevice.device()
        kernels = VulkanKernels(device: device)
        stream = try CommandStream(device: device)
    }

    func buffer(_ values: [Float]) throws -> VulkanBuffer {
        let b = try VulkanBuffer(device: device, size: values.count * 4)
        try device.upload(values, to: b, stream: stream)
        return b
    }

    func read(_ b: VulkanBuffer, _ count: Int) throws -> [Float] {
        try device.downloadFloats(b, count: count, stream: stream)
    }

    /// A matmul shader family to test: each ``VulkanVariant`` the device supports, and the
    /// portable variant's two shaders (`matmul_row_*` for CPU-type devices, the shared-memory
    /// tree `matmul_*` for GPUs without subgroup arithmetic); all of them run on any device.
    /// `tiled` runs its `matmul_tiled_*` shader at every column count, one included.
    enum MatmulCase: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case portableRow = "portable, row per invocation"
        case portableTree = "portable, shared-memory tree"
        case subgroup
        case integerDot = "integer-dot"
        case tiled

        var variant: VulkanVariant {
            switch self {
            case .portableRow, .portableTree: return .portable
            case .subgroup: return .subgroup
            case .integerDot: return .integerDot
            case .tiled: return .tiled
            }
        }
        var testDescription: String { rawValue }

        /// The cases the test device can run (all of them when there is no device: the suite
        /// is then disabled, or fails on MINNOW_REQUIRE_VULKAN).
        static var supported: [MatmulCase] {
            guard let info = try? VulkanTestDevice.shared.get().info else { return allCases }
            return allCases.filter { VulkanVariant.missing($0.variant, on: info).isEmpty }
        }
    }

    /// Float32 sums of K products in a different order differ by at most about K·ε·Σ|w·x|;
    /// with K ≤ 768 and ε = 6e-8 that is < 5e-5 of Σ|w·x|. The bound is 1e-4 of Σ|w·x|, for every
    /// variant. The integer-dot variant multiplies by int8-quantized activations (Q8_1 blocks,
    /// as ggml's vec_dot_type): its reference is W·quantize(X), computed here the same way, plus,
    /// for an element whose x/d lies within 1e-3 of a rounding tie (the GPU's 1/d may differ from
    /// the host's by an ulp or two), d·|w| for the other rounding. Its effect on a whole model
    /// is what the teacher-forced agreement suite measures.
    func expectMatmul(_ type: GGMLType, rows: Int, columns: Int, tokens: Int, maxPartBytes: Int? = nil,
                      _ matmulCase: MatmulCase) throws {
        try kernels.use(matmulCase.variant)
        if matmulCase.variant == .portable { kernels.rowPerInvocation = matmulCase == .portableRow }
        kernels.tiledMinColumns = 1
        var rng = ReferenceQuant.Random(state: UInt64(type.rawValue) &* 977 &+ UInt64(rows * 31 + tokens))
        let data = ReferenceQuant.randomRows(type, rows: rows, columns: columns, rng: &rng)
        let x = rng.floats(tokens * columns)
        let quantized = matmulCase == .integerDot && VulkanKernels.integerDotTypes.contains(type)
        let (xRef, slack) = quantized ? Self.quantizeQ8_1(x) : (x, [Float](repeating: 0, count: x.count))
        let weight = try data.withUnsafeBytes {
            try VulkanWeight(device: device, stream: stream, type: type, rows: rows, columns: columns, data: $0,
                             maxPartBytes: maxPartBytes)
        }
        let xb = try buffer(x)
        let yb = try VulkanBuffer(device: device, size: tokens * rows * 4)
        try stream.begin()
        try kernels.matmul(weight, input: xb, output: yb, columns: tokens, on: stream)
        try stream.submitAndWait()
        let y = try read(yb, tokens * rows)
        for r in 0..<rows {
            let w = ReferenceQuant.dequantizeRow(type, data, row: r, columns: columns)
            for t in 0..<tokens {
                var ref: Float = 0, mag: Float = 0, tie: Float = 0
                for k in 0..<columns {
                    ref += w[k] * xRef[t * columns + k]
                    mag += abs(w[k] * xRef[t * columns + k])
                    tie += abs(w[k]) * slack[t * columns + k]
                }
                let err = abs(y[t * rows + r] - ref)
                #expect(err <= 1e-4 * mag + 1e-6 + tie,
                        "\(type.name) \(matmulCase) row \(r) token \(t): \(y[t * rows + r]) vs \(ref)")
            }
        }
        VulkanTestDevice.expectNoValidationErrors()
    }

    /// X quantized as quantize_q8_1.comp does (per 32 values d = max|x|/127, q = round(x/d)),
    /// dequantized; and per element d where x/d is within 1e-3 of a rounding tie, else 0.
    static func quantizeQ8_1(_ x: [Float]) -> ([Float], [Float]) {
        var out = x, slack = [Float](repeating: 0, count: x.count)
        for b in stride(from: 0, to: x.count, by: 32) {
            let amax = x[b..<(b + 32)].reduce(Float(0)) { max($0, abs($1)) }
            let d = amax / 127
            let id: Float = d > 0 ? 1 / d : 0
            for i in b..<(b + 32) {
                let v = x[i] * id
                out[i] = d * max(-127, min(127, v.rounded(.toNearestOrAwayFromZero)))
                if abs(abs(v - v.rounded(.towardZero)) - 0.5) < 1e-3 { slack[i] = d }
            }
        }
        return (out, slack)
    }

    @Test("matmul, one token (matrix-vector)",
          arguments: [GGMLType.f32, .f16, .q8_0, .q4_0, .q4_1, .q5_0, .q4_K, .q5_K, .q6_K], MatmulCase.supported)
    func matrixVector(type: GGMLType, matmulCase: MatmulCase) throws {
        try expectMatmul(type, rows: 37, columns: type.blockSize == 256 ? 512 : 96, tokens: 1, matmulCase)
    }

    @Test("matmul, 11 tokens (matrix-matrix)",
          arguments: [GGMLType.f32, .f16, .q8_0, .q4_0, .q4_1, .q5_0, .q4_K, .q5_K, .q6_K], MatmulCase.supported)
    func matrixMatrix(type: GGMLType, matmulCase: MatmulCase) throws {
        try expectMatmul(type, rows: 19, columns: type.blockSize == 256 ? 256 : 160, tokens: 11, matmulCase)
    }

    @Test("matmul over several row and column tiles (70 rows, 35 tokens)",
          arguments: [GGMLType.f16, .q8_0, .q4_K, .q6_K], MatmulCase.supported)
    func severalTiles(type: GGMLType, matmulCase: MatmulCase) throws {
        // 70 = 2·32 + 6 rows and 35 = 2·16 + 3 tokens: partial tiles in both directions.
        try expectMatmul(type, rows: 70, columns: 256, tokens: 35, matmulCase)
    }

    @Test("matmul over a weight split into several buffers", arguments: MatmulCase.supported)
    func splitWeight(matmulCase: MatmulCase) throws {
        // 45 rows of 288 bytes with parts of at most 1024 bytes: 3 rows per part, 15 parts.
        try expectMatmul(.q8_0, rows: 45, columns: 256, tokens: 3, maxPartBytes: 1024, matmulCase)
    }

    @Test("get_rows dequantizes whole rows exactly", arguments: [GGMLType.f32, .f16, .q8_0, .q4_0, .q4_1, .q5_0, .q4_K, .q5_K, .q6_K])
    func getRows(type: GGMLType) throws {
        var rng = ReferenceQuant.Random(state: 42 &+ UInt64(type.rawValue))
        let rows = 13, columns = 256
        let data = ReferenceQuant.randomRows(type, rows: rows, columns: columns, rng: &rng)
        // Parts of at most 5 rows: the table is split in three, as large vocabularies are.
        let weight = try data.withUnsafeBytes {
            try VulkanWeight(device: device, stream: stream, type: type, rows: rows, columns: columns, data: $0,
                             maxPartBytes: 5 * type.rowBytes(elements: columns)! + 4)
        }
        #expect(weight.partCount == 3)
        let ids: [Int32] = [7, 0, 12, 7, 3, 11]
        let idb = try VulkanBuffer(device: device, size: ids.count * 4)
        try ids.withUnsafeBytes { try device.upload($0, to: idb, stream: stream) }
        let out = try VulkanBuffer(device: device, size: ids.count * columns * 4)
        try stream.begin()
        try kernels.getRows(weight, ids: idb, count: ids.count, output: out, on: stream)
        try stream.submitAndWait()
        let y = try read(out, ids.count * columns)
        for (t, id) in ids.enumerated() {
            let ref = ReferenceQuant.dequantizeRow(type, data, row: Int(id), columns: columns)
            // Dequantization is one or two float operations per element: 1e-6 relative covers
            // a fused versus unfused multiply-add.
            for k in 0..<columns where abs(y[t * columns + k] - ref[k]) > 1e-6 * max(1, abs(ref[k])) {
                Issue.record("\(type.name) token \(t) element \(k): \(y[t * columns + k]) vs \(ref[k])")
                return
            }
        }
    }

    @Test("RMSNorm")
    func rmsNorm() throws {
        var rng = ReferenceQuant.Random(state: 7)
        let n = 333, rows = 3
        let x = rng.floats(n * rows, -3, 3), w = rng.floats(n, 0.5, 1.5)
        let xb = try buffer(x), wb = try buffer(w)
        let yb = try VulkanBuffer(device: device, size: n * rows * 4)
        try stream.begin()
        try kernels.rmsNorm(input: xb, weight: wb, output: yb, length: n, rows: rows, epsilon: 1e-5, on: stream)
        try stream.submitAndWait()
        let y = try read(yb, n * rows)
        for r in 0..<rows {
            let row = x[(r * n)..<((r + 1) * n)]
            let scale = 1 / (row.reduce(0) { $0 + $1 * $1 } / Float(n) + 1e-5).squareRoot()
            for i in 0..<n {
                let ref = x[r * n + i] * scale * w[i]
                // inversesqrt may be approximate to a few ulp; values are O(1): 1e-4 absolute.
                #expect(abs(y[r * n + i] - ref) <= 1e-4 * max(1, abs(ref)))
            }
        }
    }

    @Test("RoPE, normal and NeoX styles", arguments: [false, true])
    func rope(neox: Bool) throws {
        var rng = ReferenceQuant.Random(state: neox ? 11 : 12)
        let tokens = 3, heads = 5, dim = 64, start = 17
        let x = rng.floats(tokens * heads * dim)
        let freqs = (0..<(dim / 2)).map { Float(pow(10000.0, -2.0 * Double($0) / Double(dim))) }
        var table: [Float] = []
        for t in 0..<tokens {
            for i in 0..<(dim / 2) {
                let angle = Double(start + t) * Double(freqs[i])
                table += [Float(cos(angle)), Float(sin(angle))]
            }
        }
        let xb = try buffer(x), tb = try buffer(table)
        try stream.begin()
        try kernels.rope(xb, tokens: tokens, heads: heads, headDim: dim, neox: neox, table: tb, on: stream)
        try stream.submitAndWait()
        let y = try read(xb, x.count)
        for t in 0..<tokens {
            for h in 0..<heads {
                let base = (t * heads + h) * dim
                for i in 0..<(dim / 2) {
                    let angle = Double(start + t) * Double(freqs[i])
                    let (a, b) = neox ? (base + i, base + i + dim / 2) : (base + 2 * i, base + 2 * i + 1)
                    let r0 = Double(x[a]) * cos(angle) - Double(x[b]) * sin(angle)
                    let r1 = Double(x[a]) * sin(angle) + Double(x[b]) * cos(angle)
                    // Float32 table and products against Double: 1e-6 absolute on |x| ≤ 1.4.
                    #expect(abs(Double(y[a]) - r0) < 1e-6 && abs(Double(y[b]) - r1) < 1e-6)
                }
            }
        }
    }

    @Test("Element-wise add (with broadcast), SiLU-mul, mul")
    func elementwise() throws {
        var rng = ReferenceQuant.Random(state: 5)
        let n = 1000, bLen = 40
        let a = rng.floats(n, -4, 4), b = rng.floats(n, -2, 2)
        let ab = try buffer(a), bb = try buffer(b)
        let add = try VulkanBuffer(device: device, size: n * 4)
        let silu = try VulkanBuffer(device: device, size: n * 4)
        let mul = try VulkanBuffer(device: device, size: n * 4)
        try stream.begin()
        try kernels.elementwise(.add, a: ab, b: bb, bLength: bLen, output: add, count: n, on: stream)
        try kernels.elementwise(.siluMul, a: ab, b: bb, output: silu, count: n, on: stream)
        try kernels.elementwise(.mul, a: ab, b: bb, output: mul, count: n, on: stream)
        try stream.submitAndWait()
        let (ya, ys, ym) = (try read(add, n), try read(silu, n), try read(mul, n))
        for i in 0..<n {
            #expect(ya[i] == a[i] + b[i % bLen])
            #expect(ym[i] == a[i] * b[i])
            // exp in the shader is accurate to a few ulp: 1e-5 relative.
            let ref = a[i] / (1 + exp(-a[i])) * b[i]
            #expect(abs(ys[i] - ref) <= 1e-5 * max(1, abs(ref)))
        }
    }

    @Test("Softmax")
    func softmax() throws {
        var rng = ReferenceQuant.Random(state: 9)
        let n = 517, rows = 2
        let x = rng.floats(n * rows, -10, 10)
        let xb = try buffer(x)
        try stream.begin()
        try kernels.softmax(xb, length: n, rows: rows, on: stream)
        try stream.submitAndWait()
        let y = try read(xb, x.count)
        for r in 0..<rows {
            let row = x[(r * n)..<((r + 1) * n)]
            let m = row.max() ?? 0
            let s = row.reduce(0) { $0 + exp($1 - m) }
            for i in 0..<n {
                // Probabilities ≤ 1; exp and a 517-term sum: 1e-6 absolute.
                #expect(abs(y[r * n + i] - exp(x[r * n + i] - m) / s) < 1e-6)
            }
        }
    }

    /// Two sequences in one cache: sequence 0 holds 9 past positions, sequence 1 holds 5; four
    /// new rows, interleaved (s0 p9, s1 p5, s0 p10, s1 p6), are stored and attended in one
    /// dispatch each. Every row must see its own sequence's positions up to its own and nothing
    /// of the other's.
    @Test("KV store and causal GQA attention, rows of two sequences", arguments: [false, true])
    func attention(f16: Bool) throws {
        var rng = ReferenceQuant.Random(state: f16 ? 21 : 22)
        let qHeads = 6, kvHeads = 2, dim = 64, capacity = 20
        let width = kvHeads * dim
        let group = qHeads / kvHeads
        let past = [9, 5]
        let rowSequences = [0, 1, 0, 1], rowPositions = [9, 5, 10, 6]
        let tokens = rowSequences.count
        // The reference cache, [sequence][position][width], filled in store order.
        var keys = [[Float]](repeating: [], count: 2), values = [[Float]](repeating: [], count: 2)
        let kc = try VulkanBuffer(device: device, size: 2 * capacity * width * (f16 ? 2 : 4))
        let vc = try VulkanBuffer(device: device, size: 2 * capacity * width * (f16 ? 2 : 4))
        // Uploads go through the stream, so every buffer is made before recording starts.
        var pastBuffers: [(rows: VulkanBuffer, k: VulkanBuffer, v: VulkanBuffer)] = []
        for s in 0..<2 {
            keys[s] = rng.floats(past[s] * width)
            values[s] = rng.floats(past[s] * width)
            let rows = try CacheRows.buffer(device: device, positions: Array(0..<past[s]),
                                            sequences: Array(repeating: s, count: past[s]), capacity: capacity)
            pastBuffers.append((rows, try buffer(keys[s]), try buffer(values[s])))
        }
        let newK = rng.floats(tokens * width), newV = rng.floats(tokens * width)
        for t in 0..<tokens {
            keys[rowSequences[t]] += newK[(t * width)..<((t + 1) * width)]
            values[rowSequences[t]] += newV[(t * width)..<((t + 1) * width)]
        }
        let q = rng.floats(tokens * qHeads * dim)
        let rows = try CacheRows.buffer(device: device, positions: rowPositions, sequences: rowSequences, capacity: capacity)
        let nk = try buffer(newK), nv = try buffer(newV), qb = try buffer(q)
        let out = try VulkanBuffer(device: device, size: tokens * qHeads * dim * 4)
        let stride = (rowPositions.max() ?? 0) + 1
        let scratch = try VulkanBuffer(device: device, size: tokens * qHeads * stride * 4)
        let scale = 1 / Float(dim).squareRoot()
        try stream.begin()
        for (s, b) in pastBuffers.enumerated() {
            try kernels.storeKV(input: b.k, cache: kc, rows: b.rows, tokens: past[s], width: width, f16: f16, on: stream)
            try kernels.storeKV(input: b.v, cache: vc, rows: b.rows, tokens: past[s], width: width, f16: f16, on: stream)
        }
        try kernels.storeKV(input: nk, cache: kc, rows: rows, tokens: tokens, width: width, f16: f16, on: stream)
        try kernels.storeKV(input: nv, cache: vc, rows: rows, tokens: tokens, width: width, f16: f16, on: stream)
        try kernels.attention(query: qb, keys: kc, values: vc, output: out, scratch: scratch, rows: rows, tokens: tokens,
                              queryHeads: qHeads, kvHeads: kvHeads, headDim: dim, scoreStride: stride, scale: scale,
                              f16: f16, on: stream)
        try stream.submitAndWait()
        let y = try read(out, tokens * qHeads * dim)
        // Reference in float, with the cache rounded to f16 when the cache is f16.
        let round: (Float) -> Float = f16 ? { Float(Float16($0)) } : { $0 }
        for t in 0..<tokens {
            let sk = keys[rowSequences[t]].map(round), sv = values[rowSequences[t]].map(round)
            for h in 0..<qHeads {
                let kvh = h / group
                let n = rowPositions[t] + 1
                var scores = (0..<n).map { j -> Float in
                    var s: Float = 0
                    // With an F16 cache the query is rounded to F16 too, as llama.cpp does.
                    for d in 0..<dim { s += round(q[(t * qHeads + h) * dim + d]) * sk[j * width + kvh * dim + d] }
                    return s * scale
                }
                let m = scores.max() ?? 0
                scores = scores.map { exp($0 - m) }
                let sum = scores.reduce(0, +)
                for d in 0..<dim {
                    var acc: Float = 0
                    for j in 0..<n { acc += scores[j] * sv[j * width + kvh * dim + d] }
                    let ref = acc / sum
                    // Outputs are convex combinations of values in [-1, 1]; float32 sums over
                    // ≤ 11 positions and 64 dims: 1e-5 absolute.
                    #expect(abs(y[(t * qHeads + h) * dim + d] - ref) < 1e-5)
                }
            }
        }
        VulkanTestDevice.expectNoValidationErrors()
    }
}
