import Foundation
import Minnow
import MinnowTestSupport
import Testing

/// `BackendChoice` through the public API: `.vulkan` really reaches the Vulkan backend,
/// `.auto` says what it chose and why, and an unusable Vulkan request is a typed error.
@Suite struct BackendSelectionTests {
    /// CI sets this: a missing Vulkan device is then a failure, not a skip.
    static var vulkanRequired: Bool { ProcessInfo.processInfo.environment["MINNOW_REQUIRE_VULKAN"] == "1" }

    static func greedy(_ model: Model, tokens: Int) async throws -> String {
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = tokens
        var text = ""
        for try await event in model.generate(prompt: "The capital of France is", parameters: parameters) {
            if case .text(let piece) = event { text += piece }
        }
        return text
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func vulkanRunsTheModelOnVulkan() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let model: Model
        do {
            model = try await Model.load(from: url, options: LoadOptions(backend: .vulkan(), contextLength: 64))
        } catch ModelError.backendUnavailable(let why) where !Self.vulkanRequired {
            print("note: skipping the Vulkan public API test: \(why)")
            return
        }
        #expect(model.info.backend.hasPrefix("vulkan: "), "backend: \(model.info.backend)")
        #expect(model.info.backendNote == nil)
        let text = try await Self.greedy(model, tokens: 2)
        print("SmolLM2 on \(model.info.backend): \(text.debugDescription)")
        #expect(!text.isEmpty)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func autoSaysWhatItChose() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let model = try await Model.load(from: url, options: LoadOptions(backend: .auto, contextLength: 64))
        let note = try #require(model.info.backendNote)
        print("auto: \(note); \(model.info.backend)")
        if note.hasPrefix("backend auto: using CPU (") {
            #expect(model.info.backend.hasPrefix("cpu: "))
        } else {
            #expect(note.hasPrefix("backend auto: using Vulkan on "))
            #expect(model.info.backend.hasPrefix("vulkan: "))
        }
        #expect(!(try await Self.greedy(model, tokens: 2)).isEmpty)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func unusableVulkanDeviceIsATypedError() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        do {
            _ = try await Model.load(from: url, options: LoadOptions(backend: .vulkan(device: 1000), contextLength: 64))
            Issue.record("loading on Vulkan device 1000 succeeded")
        } catch ModelError.backendUnavailable(let why) {
            // No loader or driver: "Vulkan unavailable: …"; else no device 1000 among those listed.
            print("vulkan(device: 1000): \(why)")
            #expect(why.hasPrefix("Vulkan unavailable: ") || why.hasPrefix("no Vulkan device matches '1000'"), "\(why)")
        }
    }
}
