import Foundation
import Minnow
import MinnowBackendSDK
import MinnowTestSupport
import Testing

/// The public backend SDK through `LoadOptions`: an app kernel, app backends ranked by `.auto`,
/// capabilities asked up front.
@Suite(.enabled(if: TestModels.available(TestModels.smolLM2)))
struct BackendSDKTests {
    static func greedy(_ model: Model, tokens: Int = 6) async throws -> String {
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = tokens
        var text = ""
        for try await event in model.generate(prompt: "The capital of France is", parameters: parameters) {
            if case .text(let piece) = event { text += piece }
        }
        return text
    }

    static func load(_ options: LoadOptions) async throws -> Model {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        var options = options
        options.contextLength = 64
        return try await Model.load(from: url, options: options)
    }

    @Test func anAppKernelRunsForItsWeightType() async throws {
        let reference = try await Self.greedy(Self.load(LoadOptions(backend: .cpu(threads: 2))))
        // SmolLM2's output matrix (the tied embedding) is Q8_0.
        let model = try await Self.load(LoadOptions(backend: .cpu(threads: 2, kernels: registryWithPlainQ8_0())))
        let text = try await Self.greedy(model)
        print("plain Q8_0 kernel: \(text.debugDescription), built-in: \(reference.debugDescription)")
        #expect(text == reference)
    }

    @Test func autoPicksTheHighestScore() async throws {
        let executions = ExecutionCounter()
        let model = try await Self.load(LoadOptions(backendProviders: [CountingProvider(executions: executions)]))
        #expect(model.info.backend.hasPrefix("counting: "), "\(model.info.backend)")
        #expect(!(try await Self.greedy(model)).isEmpty)
        #expect(executions.value > 0)

        let below = ExecutionCounter()
        let builtIn = try await Self.load(LoadOptions(backendProviders: [CountingProvider(executions: below, score: 1)]))
        #expect(!builtIn.info.backend.hasPrefix("counting: "), "\(builtIn.info.backend)")
        _ = try await Self.greedy(builtIn, tokens: 1)
        #expect(below.value == 0)
    }

    @Test func aProviderThatCannotRunSaysWhy() async throws {
        let model = try await Self.load(LoadOptions(backendProviders: [DecliningProvider()]))
        #expect(model.info.backendNote?.contains("declines every model") == true, "\(model.info.backendNote ?? "nil")")
        await #expect(throws: ModelError.backendUnavailable("declines every model")) {
            _ = try await Self.load(LoadOptions(backend: .provider(DecliningProvider())))
        }
    }

    @Test func aBackendWithoutAnOpIsNotGivenTheModel() async throws {
        let limited = LimitedProvider(capabilities: { inner in
            BackendCapabilities(maxSequences: inner.maxSequences, operations: inner.operations.subtracting([.rope]),
                                weightTypes: inner.weightTypes)
        })
        let model = try await Self.load(LoadOptions(backendProviders: [limited]))
        #expect(!model.info.backend.hasPrefix("limited: "), "\(model.info.backend)")
        #expect(model.info.backendNote?.contains("cannot run rope") == true, "\(model.info.backendNote ?? "nil")")
        await #expect(throws: ModelError.self) { _ = try await Self.load(LoadOptions(backend: .provider(limited))) }
    }

    @Test func batchedGenerationAsksTheBackendForSequences() async throws {
        let single = LimitedProvider(capabilities: { inner in
            BackendCapabilities(maxSequences: 1, operations: inner.operations, weightTypes: inner.weightTypes)
        })
        let model = try await Self.load(LoadOptions(backend: .provider(single)))
        let batch = BatchGenerator(model: model, maxSequences: 2)
        await #expect(throws: (any Error).self) {
            for try await _ in batch.generate(prompt: "Hi") {}
        }
    }
}

/// A provider that cannot run anything.
struct DecliningProvider: BackendProvider {
    var name: String { "declining" }
    func probe(_ workload: BackendWorkload) -> BackendProbeResult { .cannotRun(reason: "declines every model") }
    func makeBackend(for workload: BackendWorkload) throws -> any Backend {
        throw BackendError.unavailable("declines every model")
    }
}

/// The CPU backend with fewer capabilities, scored above every built-in provider.
struct LimitedProvider: BackendProvider {
    let capabilities: @Sendable (BackendCapabilities) -> BackendCapabilities
    var name: String { "limited" }
    func probe(_ workload: BackendWorkload) -> BackendProbeResult { .score(10_000) }
    func makeBackend(for workload: BackendWorkload) throws -> any Backend {
        let inner = try CPUBackendProvider(threads: 2).makeBackend()
        return LimitedBackend(inner: inner, capabilities: capabilities(inner.capabilities))
    }
}

/// A backend that runs on another but claims only `capabilities`.
final class LimitedBackend: Backend {
    let inner: any Backend
    let capabilities: BackendCapabilities

    init(inner: any Backend, capabilities: BackendCapabilities) {
        self.inner = inner
        self.capabilities = capabilities
    }

    var name: String { "limited" }
    var deviceDescription: String { inner.deviceDescription }
    func loadWeights(_ weights: WeightSet) throws -> any LoadedWeights { try inner.loadWeights(weights) }
    func makeKVCache(_ spec: KVCacheSpec) throws -> any KVCacheStorage { try inner.makeKVCache(spec) }
    func execute(_ graph: Graph, inputs: GraphInputs, weights: any LoadedWeights,
                 cache: any KVCacheStorage) throws -> [Float] {
        try inner.execute(graph, inputs: inputs, weights: weights, cache: cache)
    }
}
