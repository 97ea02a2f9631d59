import Foundation
import MinnowGGUF
import MinnowTestTraits
import Testing
import MinnowEngine

/// The run-time kernel variants (AVX2, AVX-512 VNNI, NEON, in C) against the exact dot product of
/// the dequantized operands and against the portable Swift kernels, in the file's row layout and
/// in their repacked layout; and how the registry chooses among them.
@Suite(.offPool) struct KernelVariantTests {
    /// The variants this CPU runs, other than the portable one.
    static let nativeVariants = CPUKernelVariant.supported().filter { $0 != .portable }

    /// (variant, type) pairs with a C kernel on this CPU.
    static let cases: [(CPUKernelVariant, GGMLType)] = nativeVariants.flatMap { variant in
        KernelDotTests.weightTypes.compactMap { CPUMatrixKernel.native(variant, $0) != nil ? (variant, $0) : nil }
    }

    /// Runs `dotRows` on `c`'s weights (at byte offset 1, so loads are unaligned) or on their
    /// repacked copy, for the first `batch` activation rows.
    static func run(_ c: KernelDotTests.Case, batch: Int, kernel: CPUMatrixKernel.DotRows, weights: UnsafeRawPointer,
                    rowStride: Int, rows: Range<Int>? = nil) -> [Float] {
        let rows = rows ?? 0..<c.rows
        var out = [Float](repeating: -1, count: c.rows * batch)
        c.activations.withUnsafeBytes { act in
            out.withUnsafeMutableBufferPointer { o in
                kernel(weights + rows.lowerBound * rowStride, rowStride, rows.count, act.baseAddress!, c.activationBytes, batch,
                       c.count, o.baseAddress! + rows.lowerBound, c.rows)
            }
        }
        return out
    }

    /// Checks `out` (batch × rows) against the Double reference within 2^-14 · Σ|w·x| (the bound
    /// of ``KernelDotTests/matchesDequantizedDot(_:)``: at most 512 Float roundings of 2^-24).
    static func expectClose(_ out: [Float], _ c: KernelDotTests.Case, batch: Int, _ label: String) throws {
        for a in 0..<batch {
            for r in 0..<c.rows {
                let (expected, magnitude) = try c.reference(row: r, activation: a)
                let got = Double(out[a * c.rows + r])
                #expect(abs(got - expected) <= magnitude * 0x1p-14 + 1e-30,
                        "\(label) a \(a) r \(r): \(got) vs \(expected) (Σ|wx| \(magnitude))")
            }
        }
    }

    /// Every result of a batch of 6 equals, bit for bit, the same activation row alone and the
    /// same rows evaluated as a sub-range starting at row 8.
    static func expectBatchInvariant(_ c: KernelDotTests.Case, kernel: CPUMatrixKernel.DotRows, weights: UnsafeRawPointer,
                                     rowStride: Int, _ label: String) {
        let batched = run(c, batch: 6, kernel: kernel, weights: weights, rowStride: rowStride)
        let part = run(c, batch: 6, kernel: kernel, weights: weights, rowStride: rowStride, rows: 8..<c.rows)
        for a in 0..<6 {
            c.activations.withUnsafeBytes { act in
                var single = [Float](repeating: 0, count: c.rows)
                single.withUnsafeMutableBufferPointer { o in
                    kernel(weights, rowStride, c.rows, act.baseAddress! + a * c.activationBytes, c.activationBytes, 1, c.count,
                           o.baseAddress!, c.rows)
                }
                #expect(single.map(\.bitPattern) == batched[(a * c.rows)..<((a + 1) * c.rows)].map(\.bitPattern),
                        "\(label): activation row \(a) alone differs from the batch")
                #expect(part[(a * c.rows + 8)..<((a + 1) * c.rows)].map(\.bitPattern)
                        == batched[(a * c.rows + 8)..<((a + 1) * c.rows)].map(\.bitPattern),
                        "\(label): rows 8... as a sub-range differ from the whole matrix")
            }
        }
    }

    @Test(arguments: cases)
    func plainLayoutMatchesReference(_ variant: CPUKernelVariant, _ type: GGMLType) throws {
        let kernel = try #require(CPUMatrixKernel.native(variant, type))
        let c = try KernelDotTests.Case(type: type, rows: 24, count: type.blockSize == 256 ? 768 : 640, batch: 6)
        try c.weights.withUnsafeBytes { w in
            let base = w.baseAddress! + 1
            let label = "\(variant.rawValue) \(type)"
            let out = Self.run(c, batch: 6, kernel: kernel.dotRows, weights: base, rowStride: c.rowBytes)
            try Self.expectClose(out, c, batch: 6, label)
            Self.expectBatchInvariant(c, kernel: kernel.dotRows, weights: base, rowStride: c.rowBytes, label)
            // Within the same bound of the portable kernel, which runs on every CPU.
            let portable = Self.run(c, batch: 6, kernel: CPUMatrixKernel.quantized(type).dotRows, weights: base, rowStride: c.rowBytes)
            for i in 0..<out.count {
                let (_, magnitude) = try c.reference(row: i % c.rows, activation: i / c.rows)
                #expect(abs(Double(out[i]) - Double(portable[i])) <= magnitude * 0x1p-13 + 1e-30, "\(label) vs portable at \(i)")
            }
        }
    }

    @Test(arguments: cases.filter { CPUMatrixKernel.native($0.0, $0.1)?.repacking != nil })
    func repackedLayoutMatchesReference(_ variant: CPUKernelVariant, _ type: GGMLType) throws {
        let kernel = try #require(CPUMatrixKernel.native(variant, type))
        let repacking = try #require(kernel.repacking)
        let c = try KernelDotTests.Case(type: type, rows: 24, count: 768, batch: 6)
        let rowBytes = repacking.rowBytes(c.count)
        #expect(rowBytes > 0)
        #expect(repacking.rowBytes(c.count + 1) == 0, "a partial block cannot be repacked")
        let packed = UnsafeMutableRawPointer.allocate(byteCount: rowBytes * c.rows, alignment: 64)
        defer { packed.deallocate() }
        let ok = c.weights.withUnsafeBytes { repacking.repack($0.baseAddress! + 1, c.rowBytes, c.rows, c.count, packed) }
        #expect(ok)
        let label = "\(variant.rawValue) \(type) repacked"
        let out = Self.run(c, batch: 6, kernel: repacking.dotRows, weights: packed, rowStride: rowBytes)
        try Self.expectClose(out, c, batch: 6, label)
        Self.expectBatchInvariant(c, kernel: repacking.dotRows, weights: packed, rowStride: rowBytes, label)
    }

    // MARK: Choosing kernels

    @Test func forcingAVariantTheCPULacksIsAnError() throws {
        #expect(throws: CPUKernelError.variantNotSupported(.avx512, missing: ["AVX2", "AVX-512-VNNI"])) {
            try CPUKernelRegistry.standard.resolve(forcing: .avx512, features: [])
        }
        #expect(throws: CPUKernelError.variantNotSupported(.neon, missing: ["NEON-dotprod"])) {
            try CPUKernelRegistry.standard.resolve(forcing: .neon, features: [.avx2])
        }
        #expect(throws: CPUKernelError.unknownVariant("sse9")) {
            try CPUKernelVariant.forced(in: [CPUKernelVariant.environmentKey: "SSE9"])
        }
        #expect(try CPUKernelVariant.forced(in: [CPUKernelVariant.environmentKey: "auto"]) == nil)
        #expect(try CPUKernelVariant.forced(in: [:]) == nil)
        #expect(try CPUKernelVariant.forced(in: [CPUKernelVariant.environmentKey: " AVX2 "]) == .avx2)
    }

    @Test func aCPUWithoutFeaturesGetsThePortableKernels() throws {
        let kernels = try CPUKernelRegistry.standard.resolve(features: [])
        #expect(kernels.variant == .portable)
        for type in KernelDotTests.weightTypes {
            #expect(kernels.kernel(for: type)?.variant == .portable, "\(type)")
        }
    }

    @Test func theBestVariantWinsAndTypesWithoutOneStayPortable() throws {
        guard let best = Self.nativeVariants.first else { return }
        let kernels = try CPUKernelRegistry.standard.resolve()
        #expect(kernels.variant == best, "resolve() without a forced variant ignores the environment")
        #expect(kernels.kernel(for: .f16)?.variant == .portable, "no C kernel for F16: the portable one runs")
        let forced = try CPUKernelRegistry.standard.resolve(forcing: .portable)
        #expect(forced.kernel(for: .q4_K)?.variant == .portable)
    }

    /// CI runs the kernel and agreement suites once per variant through `MINNOW_CPU_KERNELS`: a
    /// backend made without arguments must then run exactly that variant.
    @Test func theEnvironmentVariableReachesTheBackend() throws {
        let backend = try CPUBackend(threads: 1)
        if let forced = CPUKernelVariant.environmentOverride {
            #expect(backend.kernels.variant == forced)
            #expect(backend.deviceDescription.contains("\(forced.rawValue) kernels"))
        }
        for lacking in CPUKernelVariant.allCases where !lacking.runs() {
            #expect(throws: BackendError.self, "\(lacking) is not on this CPU") { try CPUBackend(threads: 1, variant: lacking) }
        }
    }

    @Test func anAppKernelRegisteredAboveTheOthersIsUsed() throws {
        var registry = CPUKernelRegistry.standard
        let calls = CallCounter()
        var kernel = CPUMatrixKernel.quantized(.q4_K)
        let inner = kernel.dotRows
        kernel.dotRows = { w, s, r, a, aS, aR, n, o, oS in
            calls.add()
            inner(w, s, r, a, aS, aR, n, o, oS)
        }
        registry.register(kernel, for: .q4_K)
        let resolved = try #require(try registry.resolve().kernel(for: .q4_K))
        let c = try KernelDotTests.Case(type: .q4_K, rows: 4, count: 256, batch: 1)
        _ = c.weights.withUnsafeBytes {
            Self.run(c, batch: 1, kernel: resolved.dotRows, weights: $0.baseAddress! + 1, rowStride: c.rowBytes)
        }
        #expect(calls.count == 1)
    }
}

extension CPUKernelVariant {
    /// The variant `MINNOW_CPU_KERNELS` forces in this process, if any.
    static var environmentOverride: CPUKernelVariant? { (try? CPUKernelVariant.forced()) ?? nil }
}

/// Counts calls from any thread.
final class CallCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}

/// The variants' activation quantizers write the reference quantizer's bytes.
@Suite struct ActivationQuantizerVariantTests {
    @Test(arguments: KernelVariantTests.nativeVariants)
    func quantizerBytesEqualTheReference(_ variant: CPUKernelVariant) throws {
        for type in [GGMLType.q4_K, .q6_K, .q8_0, .q4_1] {
            guard let kernel = CPUMatrixKernel.native(variant, type) else { continue }
            var x = KernelDotTests.values(2048, seed: 21)
            x[300] = -x.map(abs).max()! * 1.5   // a negative maximum
            x[700] = -x[300]                       // and its positive twin later: the first one wins
            x.replaceSubrange(1024..<1280, with: repeatElement(Float(0), count: 256))  // an all-zero block
            let expected = CPUMatrixKernel.quantized(type)
            var want = [UInt8](repeating: 0, count: expected.activationRowBytes(2048))
            var got = want
            x.withUnsafeBufferPointer { xs in
                want.withUnsafeMutableBytes { expected.quantize(xs.baseAddress!, 2048, $0.baseAddress!) }
                got.withUnsafeMutableBytes { kernel.quantize(xs.baseAddress!, 2048, $0.baseAddress!) }
            }
            #expect(got == want, "\(variant.rawValue) \(type): activation bytes differ from the reference quantizer's")
        }
    }
}
