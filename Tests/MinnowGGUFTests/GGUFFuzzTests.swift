import Foundation
import MinnowGGUF
import MinnowTestSupport
import MinnowTestTraits
import Testing

/// A small, seeded generator (SplitMix64) so that every fuzz run is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Throws thousands of truncated and byte-flipped copies of GGUF headers at the reader.
/// Each must parse or fail with a `GGUFError`; a trap would crash the test process, and a
/// hang is caught by the per-input time bound.
@Suite("GGUF reader fuzzing", .offPool)
struct GGUFFuzzTests {
    /// The fewest inputs a run must get through in its time budget, even on an overloaded
    /// machine; release builds (CI) normally finish the full count.
    #if DEBUG
    static let minimumInputs = 100
    #else
    static let minimumInputs = 500
    #endif

    struct Outcome {
        var inputs = 0
        var accepted = 0
        var slowest: Duration = .zero
    }

    /// Values that tend to break length and count fields.
    static let interesting: [UInt64] = [0, 1, 0x7F, 0x80, 0xFF, 0xFFFF, 0xFFFF_FFFF, 1 << 32, 1 << 60, 1 << 62,
                                        UInt64(Int.max), .max]

    /// Mutates `bytes` in place: a truncation, random byte flips, or an interesting 8-byte value,
    /// mostly inside `hot` (the structural part of the file).
    static func mutate(_ bytes: inout [UInt8], hot: Range<Int>, using rng: inout SplitMix64) {
        func position() -> Int {
            Bool.random(using: &rng) ? Int.random(in: hot, using: &rng) : Int.random(in: 0..<bytes.count, using: &rng)
        }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0:
            bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
        case 1:
            for _ in 0..<Int.random(in: 1...8, using: &rng) { bytes[position()] ^= UInt8.random(in: 1...255, using: &rng) }
        case 2:
            bytes[position()] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
        default:
            let at = min(position(), bytes.count - 8)
            let value = interesting.randomElement(using: &rng) ?? 0
            withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[at + i] = b } }
        }
    }

    /// Runs `count` mutated copies of `seed` (or as many as fit in `budget`) through the reader.
    static func fuzz(
        _ seed: [UInt8], hot: Range<Int>, count: Int, budget: Duration, mode: GGUFFile.LoadMode, rngSeed: UInt64,
        decode: Bool
    ) -> Outcome {
        var rng = SplitMix64(state: rngSeed)
        var outcome = Outcome()
        let deadline = ContinuousClock.now + budget
        while outcome.inputs < count && ContinuousClock.now < deadline {
            var bytes = seed
            mutate(&bytes, hot: hot, using: &rng)
            let start = ContinuousClock.now
            if let file = try? GGUFFile.parse(bytes, mode: mode) {
                outcome.accepted += 1
                if decode {
                    for key in file.metadata.keys {
                        _ = file.metadata.array(key)?.elements
                        _ = file.metadata.stringArray(key)
                    }
                    for tensor in file.tensors { _ = try? file.bytes(of: tensor) }
                }
            }
            outcome.slowest = max(outcome.slowest, ContinuousClock.now - start)
            outcome.inputs += 1
        }
        return outcome
    }

    @Test func syntheticFile() throws {
        let seed = try GGUFSyntheticFiles.everyType().encoded()
        let outcome = Self.fuzz(seed, hot: 0..<seed.count, count: 20_000, budget: .seconds(3), mode: .full,
                                rngSeed: 0x6767_7566, decode: true)
        print("fuzz (synthetic \(seed.count)-byte file): \(outcome.inputs) inputs, \(outcome.accepted) accepted, slowest \(outcome.slowest)")
        #expect(outcome.inputs >= Self.minimumInputs, "too few inputs ran in the time budget")
        #expect(outcome.slowest < .seconds(1), "one input took too long: a hang")
    }

    /// The real SmolLM2 header (49k-token vocabulary, merges, tensor infos), cut where its tensor
    /// data starts. The 1.8 MB header is mutated in place and restored, not copied per input.
    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func realHeader() throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let file = try GGUFFile.open(url, mode: .metadataOnly)
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var header = [UInt8](try #require(try handle.read(upToCount: file.dataOffset)))
        // Structural bytes: the fixed header and first keys, and the tensor infos at the end.
        let tensorInfoSize = file.tensors.reduce(0) { $0 + 8 + $1.name.utf8.count + 4 + 8 * $1.shape.count + 12 }
        let regions = [0..<min(4096, header.count), max(0, header.count - tensorInfoSize - file.alignment)..<header.count]
        var rng = SplitMix64(state: 0x5EED)
        var outcome = Outcome()
        // Count-bounded (reproducible); the time budget only guards a badly overloaded machine.
        let deadline = ContinuousClock.now + .seconds(10)
        while outcome.inputs < 4000 && ContinuousClock.now < deadline {
            let hot = regions[outcome.inputs % 2]
            var length = header.count
            var flips: [(Int, UInt8)] = []
            if Int.random(in: 0..<4, using: &rng) == 0 {
                length = Int.random(in: 0..<header.count, using: &rng)
            } else {
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let at = Bool.random(using: &rng) ? Int.random(in: hot, using: &rng)
                                                      : Int.random(in: 0..<header.count, using: &rng)
                    flips.append((at, header[at]))
                    header[at] ^= UInt8.random(in: 1...255, using: &rng)
                }
            }
            let start = ContinuousClock.now
            let accepted = header.withUnsafeBytes { bytes in
                (try? GGUFFile.parse(borrowing: UnsafeRawBufferPointer(rebasing: bytes[0..<length]),
                                     mode: .metadataOnly)) != nil
            }
            outcome.slowest = max(outcome.slowest, ContinuousClock.now - start)
            if accepted { outcome.accepted += 1 }
            outcome.inputs += 1
            for (at, byte) in flips.reversed() { header[at] = byte }
        }
        print("fuzz (SmolLM2 header, \(header.count) bytes): \(outcome.inputs) inputs, \(outcome.accepted) accepted, slowest \(outcome.slowest)")
        #expect(outcome.inputs >= Self.minimumInputs, "too few inputs ran in the time budget")
        #expect(outcome.slowest < .seconds(1), "one input took too long: a hang")
    }
}
