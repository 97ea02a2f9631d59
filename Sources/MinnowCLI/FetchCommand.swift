import ArgumentParser
import Foundation
import MinnowCatalog

/// `minnow fetch`: lists the catalog, or downloads catalog models into the model cache.
struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download catalog models into $MINNOW_MODELS (or list the catalog).",
        discussion: "HTTPS downloads resume after an interruption; every file is checked before it is renamed into place.")

    @Argument(help: "Catalog names (default: the default model).")
    var names: [String] = []

    @Flag(name: .long, help: "List the catalog and what is cached, and exit.")
    var list = false

    func run() async throws {
        let cache = ModelCache.standard
        if list {
            for model in Catalog.models {
                let cached = cache.cachedFile(for: model)
                let marker = model.name == Catalog.defaultName ? " (default)" : ""
                print("\(model.name)\(marker): \(model.summary), about \(UnitFormat.bytes(Double(model.approximateBytes)))")
                print("  " + (cached.map { "cached: \($0.path)" } ?? "not cached"))
                for source in model.sources {
                    print("  source: \(source.displayName), sha256 \(source.sha256 ?? "unverified")")
                }
            }
            return
        }
        let fetcher = ModelFetcher(cache: cache)
        var failed = false
        for name in names.isEmpty ? [Catalog.defaultName] : names {
            guard let model = Catalog.model(named: name) else {
                FileHandle.standardError.write(Data("minnow fetch: unknown model \(name)\n".utf8))
                failed = true
                continue
            }
            do {
                let url = try await fetcher.fetch(model)
                print(url.path)
            } catch {
                FileHandle.standardError.write(Data("minnow fetch: \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
