import Foundation
import MinnowCatalog
import Testing

/// Downloads against a loopback server on 127.0.0.1; each test is bounded in time.
@Suite(.timeLimit(.minutes(1))) struct HTTPDownloadTests {
    let downloader = HTTPDownloader(timeout: 5)

    @Test func downloadsChecksAndRenamesAtomically() async throws {
        let payload = ggufPayload(300_000)
        let server = try LoopbackServer(payload: payload)
        defer { server.stop() }
        let folder = try temporaryFolder()
        let partial = folder.appendingPathComponent("m.gguf.partial")
        let final = folder.appendingPathComponent("m.gguf")
        let reports = Box<[DownloadProgress]>([])
        try await downloader.download(server.url(), into: partial) { p in reports.value.append(p) }
        #expect(!FileManager.default.fileExists(atPath: final.path))  // not installed before the check
        try FileVerifier.verifyAndInstall(partial: partial, destination: final, expectedSHA256: SHA256.hex(of: payload))
        #expect(try Data(contentsOf: final) == Data(payload))
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        #expect(reports.value.last?.receivedBytes == Int64(payload.count))
        #expect(reports.value.last?.totalBytes == Int64(payload.count))
        #expect(server.ranges == [""])
    }

    @Test func resumesAnInterruptedDownloadWithARangeRequest() async throws {
        let payload = ggufPayload(400_000)
        var behavior = LoopbackServer.Behavior()
        behavior.cutFirstResponseAfter = 150_000
        let server = try LoopbackServer(payload: payload, behavior: behavior)
        defer { server.stop() }
        let folder = try temporaryFolder()
        let partial = folder.appendingPathComponent("m.gguf.partial")

        await #expect(throws: CatalogError.self) {
            try await downloader.download(server.url(), into: partial)
        }
        let kept = FileVerifier.size(of: partial)
        #expect(kept > 0 && kept < Int64(payload.count + 4))
        // A partial file is never taken for a whole one: the check refuses it.
        #expect(throws: CatalogError.self) {
            try FileVerifier.verifyAndInstall(partial: folder.appendingPathComponent("none"),
                                              destination: folder.appendingPathComponent("x"), expectedSHA256: nil)
        }

        let resumedFrom = Box<Int64>(-1)
        try await downloader.download(server.url(), into: partial) { p in
            if resumedFrom.value < 0 { resumedFrom.value = p.resumedFrom }
        }
        #expect(server.ranges.count == 2)
        #expect(server.ranges.last == "bytes=\(kept)-")
        #expect(resumedFrom.value == kept)
        #expect(try Data(contentsOf: partial) == Data(payload))
    }

    @Test func startsOverWhenTheServerIgnoresTheRange() async throws {
        let payload = ggufPayload(50_000)
        var behavior = LoopbackServer.Behavior()
        behavior.honoursRange = false
        let server = try LoopbackServer(payload: payload, behavior: behavior)
        defer { server.stop() }
        let folder = try temporaryFolder()
        let partial = folder.appendingPathComponent("m.gguf.partial")
        try Data(repeating: 0xAB, count: 1234).write(to: partial)
        try await downloader.download(server.url(), into: partial)
        #expect(server.ranges == ["bytes=1234-"])
        #expect(try Data(contentsOf: partial) == Data(payload))
    }

    @Test func aChecksumMismatchDeletesTheDownload() async throws {
        let payload = ggufPayload(10_000)
        let server = try LoopbackServer(payload: payload)
        defer { server.stop() }
        let folder = try temporaryFolder()
        let partial = folder.appendingPathComponent("m.gguf.partial")
        let final = folder.appendingPathComponent("m.gguf")
        try await downloader.download(server.url(), into: partial)
        let wrong = String(repeating: "0", count: 64)
        #expect(throws: CatalogError.checksumMismatch(file: "m.gguf", expected: wrong, actual: SHA256.hex(of: payload))) {
            try FileVerifier.verifyAndInstall(partial: partial, destination: final, expectedSHA256: wrong)
        }
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        #expect(!FileManager.default.fileExists(atPath: final.path))
    }

    @Test func aFileWithoutTheGGUFMagicIsRefused() async throws {
        let server = try LoopbackServer(payload: Array("<html>not a model</html>".utf8))
        defer { server.stop() }
        let folder = try temporaryFolder()
        let partial = folder.appendingPathComponent("m.gguf.partial")
        try await downloader.download(server.url(), into: partial)
        #expect(throws: CatalogError.notGGUF(file: "m.gguf")) {
            try FileVerifier.verifyAndInstall(partial: partial, destination: folder.appendingPathComponent("m.gguf"),
                                              expectedSHA256: nil)
        }
    }

    @Test func anHTTPErrorIsReported() async throws {
        var behavior = LoopbackServer.Behavior()
        behavior.status = 404
        let server = try LoopbackServer(payload: [], behavior: behavior)
        defer { server.stop() }
        let partial = try temporaryFolder().appendingPathComponent("m.gguf.partial")
        await #expect(throws: CatalogError.httpStatus(source: server.url().absoluteString, status: 404)) {
            try await downloader.download(server.url(), into: partial)
        }
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let url = closedPortURL()
        let partial = try temporaryFolder().appendingPathComponent("m.gguf.partial")
        do {
            try await downloader.download(url, into: partial)
            Issue.record("expected an error")
        } catch {
            guard case .unreachable = error else { Issue.record("unexpected \(error)"); return }
        }
        // Nothing was received, so no partial file is left behind.
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }
}
