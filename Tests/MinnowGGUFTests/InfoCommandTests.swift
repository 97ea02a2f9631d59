import Foundation
import MinnowGGUF
import MinnowTestSupport
import Testing

/// Drives the built `minnow info` executable as a user would, on good, broken and hostile files.
@Suite("minnow info")
struct InfoCommandTests {
    typealias Result = BuiltExecutables.Outcome

    /// Whether the tests run: `minnow` is built (`swift test` builds every product), or CI
    /// requires it (`MINNOW_REQUIRE_MODELS=1`), so that a missing executable fails them.
    static var available: Bool { BuiltExecutables.available("minnow", for: "minnow info tests") }

    static func run(_ arguments: [String]) throws -> Result {
        try BuiltExecutables.run(try BuiltExecutables.require("minnow"), ["info"] + arguments)
    }

    /// Writes `bytes` to a temporary file and runs `minnow info` on it.
    static func run(bytes: [UInt8], _ extra: [String] = []) throws -> Result {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-info-\(UUID()).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(bytes).write(to: url)
        return try run(extra + [url.path])
    }

    /// Expects a failure with exactly one line on stderr, well within a second of work.
    static func expectOneLineFailure(_ result: Result, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.signaled, "\(label): crashed", sourceLocation: sourceLocation)
        #expect(result.status != 0, "\(label): exit status 0", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.count == 1, "\(label): stderr was \(result.stderr)", sourceLocation: sourceLocation)
        // The issue asks for an exit within a second; the bound is 3 s because CI runs this
        // beside the numeric suites on 2 cores. Typical: 20-60 ms.
        #expect(result.elapsed < .seconds(3), "\(label): took \(result.elapsed)", sourceLocation: sourceLocation)
    }

    @Test(.enabled(if: available))
    func brokenFilesFailWithOneLine() throws {
        let good = try GGUFSyntheticFiles.everyType().encoded()
        var cases: [(String, [UInt8])] = [("empty file", [])]
        var magic = good; magic[1] = 0; cases.append(("bad magic", magic))
        var version = good; version.patch(UInt32(4), at: 4); cases.append(("unknown version", version))
        var tensors = good; tensors.patch(UInt64(1) << 62, at: 8); cases.append(("tensor count 2^62", tensors))
        var keys = good; keys.patch(UInt64(1) << 62, at: 16); cases.append(("key count 2^62", keys))
        var string = good; string.patch(UInt64(1) << 60, at: 24); cases.append(("string length 2^60", string))
        for length in stride(from: 1, to: good.count, by: good.count / 12) + [good.count - 1] {
            cases.append(("truncated at \(length)", Array(good[0..<length])))
        }
        var slowest = Duration.zero
        for (label, bytes) in cases {
            let result = try Self.run(bytes: bytes)
            Self.expectOneLineFailure(result, label)
            slowest = max(slowest, result.elapsed)
        }
        print("minnow info: \(cases.count) broken files, slowest exit \(slowest)")
        let missing = try Self.run(["/nonexistent/model.gguf"])
        Self.expectOneLineFailure(missing, "missing file")
    }

    @Test(.enabled(if: available))
    func randomByteFlipsNeverCrash() throws {
        let good = try GGUFSyntheticFiles.everyType().encoded()
        var rng = SplitMix64(state: 0x1F0)
        for _ in 0..<25 {
            var bytes = good
            for _ in 0..<4 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
            let result = try Self.run(bytes: bytes, ["--json"])
            #expect(!result.signaled)
            #expect(result.status == 0 || result.stderr.split(separator: "\n").count == 1,
                    "status \(result.status), stderr: \(result.stderr)")
        }
    }

    @Test(.enabled(if: available))
    func jsonReport() throws {
        let writer = try GGUFSyntheticFiles.everyType()
        let result = try Self.run(bytes: writer.encoded(), ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["architecture"] as? String == "llama")
        #expect(object["tensorCount"] as? Int == 3)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["test.string"] as? String == "héllo, 世界")
        #expect(metadata["test.u64"] as? UInt64 == UInt64.max)
        let tensors = try #require(object["tensors"] as? [[String: Any]])
        #expect(tensors.map { $0["name"] as? String } == ["token_embd.weight", "blk.0.q", "output_norm.weight"])
        #expect(tensors[1]["type"] as? String == "Q8_0")
        #expect(tensors[1]["shape"] as? [Int] == [32, 2])
        #expect(tensors[1]["offset"] is Int)
    }

    /// A valid file whose one key is a 20-million-element array: summarized, never decoded whole.
    @Test(.enabled(if: available))
    func hugeArrayIsSummarizedCheaply() throws {
        let count = 20_000_000
        var bytes: [UInt8] = Array("GGUF".utf8)
        bytes.reserveCapacity(count + 64)
        bytes += [3, 0, 0, 0] + [UInt8](repeating: 0, count: 8) + [1, 0, 0, 0, 0, 0, 0, 0]  // v3, 0 tensors, 1 key
        bytes += [3, 0, 0, 0, 0, 0, 0, 0] + Array("big".utf8) + [9, 0, 0, 0] + [0, 0, 0, 0]  // "big": array of uint8
        var length = [UInt8](repeating: 0, count: 8)
        length.patch(UInt64(count), at: 0)
        bytes += length + [UInt8](repeating: 7, count: count)
        let result = try Self.run(bytes: bytes, ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"count\":20000000"))
        #expect(result.stdout.utf8.count < 2_000)
        // Decoding 20M values would take seconds and gigabytes; the summary reads 8.
        #expect(result.elapsed < .seconds(3), "took \(result.elapsed)")
    }

    @Test(.enabled(if: available && TestModels.available(TestModels.qwen05)))
    func qwen05() throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let result = try Self.run(["--json", url.path])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["architecture"] as? String == "qwen2")
        #expect(object["tensorCount"] as? Int == 291)
        // Large arrays are summarized, not dumped.
        let metadata = try #require(object["metadata"] as? [String: Any])
        let tokens = try #require(metadata["tokenizer.ggml.tokens"] as? [String: Any])
        #expect(tokens["count"] as? Int == 151_936)
        #expect(result.stdout.utf8.count < 200_000)
        let text = try Self.run([url.path])
        #expect(text.stdout.contains("architecture:   qwen2"))
        #expect(text.stdout.contains("chat template:  present"))
    }

    @Test(.enabled(if: available && TestModels.available(TestModels.r1Header)))
    func r1HeaderNeedsMetadataOnly() throws {
        let url = try #require(TestModels.url(TestModels.r1Header))
        let full = try Self.run([url.path])
        Self.expectOneLineFailure(full, "R1 header in full mode")
        #expect(full.stderr.contains("tensor data truncated"))
        let header = try Self.run(["--metadata-only", "--json", url.path])
        #expect(header.status == 0, "\(header.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(header.stdout.utf8)) as? [String: Any])
        #expect(object["architecture"] as? String == "qwen2")
        #expect(object["tensorCount"] as? Int == 339)
        #expect((object["tokenizer"] as? [String: Any])?["chatTemplate"] as? Bool == true)
    }
}
