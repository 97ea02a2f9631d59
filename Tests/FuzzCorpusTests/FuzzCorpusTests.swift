import Foundation
import MinnowFuzzTargets
import MinnowTestSupport
import Testing

/// Replays the committed fuzz corpus (`Fuzz/Corpus/<target>`: seeds, and every input that once
/// found a bug) through the fuzz targets in the ordinary build. A property the target checks
/// traps, which fails the run; so a fixed bug cannot come back unnoticed.
@Suite struct FuzzCorpusTests {
    static let corpus = TestModels.fixtures.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    static func inputs(_ target: FuzzTarget) throws -> [URL] {
        let folder = corpus.appendingPathComponent(target.rawValue)
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func replay(_ target: FuzzTarget) throws {
        let files = try inputs(target)
        #expect(files.count >= 3, "the \(target.rawValue) corpus is missing")
        for file in files {
            let data = try Data(contentsOf: file)
            data.withUnsafeBytes { target.run($0) }
        }
        print("fuzz corpus \(target.rawValue): \(files.count) inputs replayed")
    }

    @Test func gguf() throws { try Self.replay(.gguf) }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2) && TestModels.available(TestModels.r1Header)))
    func tokenizer() throws { try Self.replay(.tokenizer) }

    @Test func template() throws { try Self.replay(.template) }

    @Test func jsonl() throws { try Self.replay(.jsonl) }

    @Test func request() throws { try Self.replay(.request) }
}
