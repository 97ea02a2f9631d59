import Foundation
import MinnowCatalog
import Testing

@Suite(.timeLimit(.minutes(1))) struct ResolverTests {
    func model(_ name: String, url: URL, sha: String?) -> CatalogModel {
        CatalogModel(name: name, summary: name, approximateBytes: 1000,
                     sources: [ModelSource(fileName: "\(name).gguf", location: .https(url), sha256: sha)])
    }

    func resolver(_ catalog: [CatalogModel], cache: URL, log: Box<[String]>) -> ModelResolver {
        let fetcher = ModelFetcher(cache: ModelCache(directory: cache), http: HTTPDownloader(timeout: 5),
                                   showsProgress: false, log: { line in log.value.append(line) })
        return ModelResolver(fetcher: fetcher, catalog: catalog)
    }

    @Test func theCatalogHasTheIssuesModelsAndKnownMirrorChecksums() {
        let names = Catalog.models.map(\.name)
        #expect(names == ["deepseek-r1-distill-qwen-1.5b", "deepseek-r1-distill-qwen-7b", "deepseek-r1-distill-llama-8b",
                          "qwen2.5-coder-0.5b", "qwen2.5-coder-1.5b", "smollm2-135m"])
        #expect(Catalog.defaultModel.name == "deepseek-r1-distill-qwen-1.5b")
        for model in Catalog.models {
            for source in model.sources {
                if case .pipMirror = source.location { #expect(source.sha256?.count == 64) }
                // Hugging Face checksums are unverified here and must not be invented.
                if case .https = source.location { #expect(source.sha256 == nil) }
            }
        }
        #expect(Catalog.model(named: "SmolLM2-135M")?.sources.first?.sha256
                == "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53")
    }

    @Test func aPathOrACatalogNameOrAnError() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("local.gguf")
        try Data("GGUF".utf8).write(to: file)
        let resolver = resolver(Catalog.models, cache: folder, log: Box([]))
        #expect(try resolver.reference(for: file.path) == .file(file))
        #expect(try resolver.reference(for: "smollm2-135m") == .catalog(Catalog.model(named: "smollm2-135m")!))
        #expect(throws: CatalogError.self) { try resolver.reference(for: "/no/such/model.gguf") }
        #expect(throws: CatalogError.unknownModel("gpt-9", known: Catalog.models.map(\.name))) {
            try resolver.reference(for: "gpt-9")
        }
    }

    @Test func downloadsACatalogModelThenUsesTheCache() async throws {
        let payload = ggufPayload(20_000)
        let server = try LoopbackServer(payload: payload)
        defer { server.stop() }
        let cache = try temporaryFolder()
        let log = Box<[String]>([])
        let resolver = resolver([model("tiny", url: server.url(), sha: SHA256.hex(of: payload))], cache: cache, log: log)
        let first = try await resolver.resolve("tiny")
        #expect(first.file == cache.appendingPathComponent("tiny.gguf"))
        #expect(first.fellBackFrom == nil)
        #expect(log.value.contains { $0.contains("sha256 verified") })
        let second = try await resolver.resolve("tiny")
        #expect(second.file == first.file)
        #expect(server.ranges.count == 1)  // the second call did not download
    }

    @Test func fallsBackToTheFirstReachableModelAndSaysSo() async throws {
        let deadURL = closedPortURL()
        let payload = ggufPayload(5_000)
        let server = try LoopbackServer(payload: payload)
        defer { server.stop() }
        let cache = try temporaryFolder()
        let log = Box<[String]>([])
        let resolver = resolver([
            model("wanted", url: deadURL, sha: nil),
            model("also-dead", url: deadURL, sha: nil),
            model("spare", url: server.url(), sha: SHA256.hex(of: payload)),
        ], cache: cache, log: log)
        let resolution = try await resolver.resolve("wanted")
        #expect(resolution.model?.name == "spare")
        #expect(resolution.fellBackFrom == "wanted")
        #expect(log.value.contains { $0.contains("using spare instead of wanted") })
        #expect(log.value.contains { $0.contains("wanted cannot be fetched") })
    }

    @Test func aWrongChecksumFailsAndLeavesNoFile() async throws {
        let server = try LoopbackServer(payload: ggufPayload(5_000))
        defer { server.stop() }
        let cache = try temporaryFolder()
        var resolver = resolver([model("bad", url: server.url(), sha: String(repeating: "a", count: 64))],
                                cache: cache, log: Box([]))
        resolver.fallsBack = false
        await #expect(throws: CatalogError.self) { try await resolver.resolve("bad") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { !$0.hasPrefix(".") } == [])
    }
}

/// A value shared with callbacks in tests.
final class Box<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value {
        get { lock.lock(); defer { lock.unlock() }; return stored }
        set { lock.lock(); stored = newValue; lock.unlock() }
    }
}
