import Foundation
import Minnow
import MinnowBackendSDK
import Testing

@Suite struct ModelLoadingTests {
    @Test func aMissingFileIsReportedByPath() async {
        let url = URL(fileURLWithPath: "/nonexistent/model.gguf")
        await #expect(throws: ModelError.fileNotFound(path: url.path)) {
            _ = try await Model.load(from: url)
        }
    }

    @Test func aFileThatIsNotGGUFIsAFormatError() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-not-gguf-\(UUID()).gguf")
        try Data("NOPE, just text".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        await #expect {
            _ = try await Model.load(from: url)
        } throws: { error in
            if case ModelError.invalidFormat = error { return true }
            return false
        }
    }

    @Test func memAvailableIsReadFromMeminfo() {
        let meminfo = "MemTotal:       24576000 kB\nMemFree:         1000 kB\nMemAvailable:   20480000 kB\n"
        #expect(MemoryCheck.parseMemAvailable(meminfo) == 20_480_000 * 1024)
        #expect(MemoryCheck.parseMemAvailable("MemTotal: 5 kB\n") == nil)
    }

    @Test func notEnoughMemorySaysHowMuchIsNeeded() {
        #expect(throws: ModelError.insufficientMemory(required: 3 << 30, available: 1 << 30)) {
            try MemoryCheck.ensureAvailable(3 << 30, available: 1 << 30)
        }
        let message = ModelError.insufficientMemory(required: 3 << 30, available: 512 << 20).description
        #expect(message.contains("3.0 GiB") && message.contains("512 MiB"))
    }

    @Test func kvCacheSizeFollowsTheShape() {
        // Qwen2.5-0.5B: 24 layers, 2 KV heads of 64, F16, 4096 positions = 48 MiB.
        #expect(KVCacheSpec(layers: 24, width: 2 * 64, capacity: 4096, type: .f16).byteCount == 48 << 20)
    }
}
