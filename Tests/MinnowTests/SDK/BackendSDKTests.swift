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
        try await BackendSelectionTests.greedy(model, tokens: tokens)
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
        let calls = CallCount()
        let model = try await Self.load(LoadOptions(backend: .cpu(threads: 2, kernels: registryWithPlainQ8_0(counting: calls))))
        let text = try await Self.greedy(model)
        print("plain Q8_0 kernel (\(calls.total) calls): \(text.debugDescription), built-in: \(reference.debugDescription)")
        #expect(text == reference)
        #expect(calls.total > 0)
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
        #expect(!model.info.backend.hasPrefix("counting: "), "\(model.info.backend)")
        #expect(model.info.backendNote?.contains("counting backend cannot run rope") == true, "\(model.info.backendNote ?? "nil")")
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

/// The counting backend claiming fewer capabilities, scored above every built-in provider.
struct LimitedProvider: BackendProvider {
    let capabilities: @Sendable (BackendCapabilities) -> BackendCapabilities
    var name: String { "limited" }
    func probe(_ workload: BackendWorkload) -> BackendProbeResult { .score(10_000) }
    func makeBackend(for workload: BackendWorkload) throws -> any Backend {
        let inner = try CPUBackendProvider(threads: 2).makeBackend()
        return CountingBackend(inner: inner, executions: ExecutionCounter(), capabilities: capabilities(inner.capabilities))
    }
}
