import Foundation
import Testing
import MinnowEngine
import MinnowGGUF
import MinnowTestSupport

@Suite struct ModelLoadingTests {
    @Test(.enabled(if: TestModels.available(TestModels.qwen05)))
    func readsQwenHyperparameters() throws {
        let model = try TransformerLoader.load(try #require(TestModels.url(TestModels.qwen05)))
        #expect(model.config.architecture == .qwen2)
        #expect(model.config.rope.style == .neox)
        #expect(model.config.blockCount == 24)
        #expect(model.config.headCount == 14 && model.config.kvHeadCount == 2 && model.config.headSize == 64)
        #expect(model.vocabularySize == 151_936)
        // This file has its own output.weight (Q8_0).
        let tied = model.tiedEmbeddings
        #expect(!tied)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func readsSmolLMHyperparameters() throws {
        let model = try TransformerLoader.load(try #require(TestModels.url(TestModels.smolLM2)))
        #expect(model.config.architecture == .llama)
        #expect(model.config.rope.style == .normal)
        let tied = model.tiedEmbeddings
        #expect(tied)
        #expect(model.config.headCount == 9 && model.config.kvHeadCount == 3)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func truncatedTensorDataIsAClearError() throws {
        let cut = try CutModelFile(of: try #require(TestModels.url(TestModels.smolLM2)), bytes: 20_000_000)
        defer { cut.remove() }
        do {
            _ = try TransformerLoader.load(cut.url)
            Issue.record("a cut file loaded")
        } catch let error as GGUFError {
            guard case .tensorDataTruncated(let tensor, _, _, let size) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(size == 20_000_000)
            #expect(String(describing: error).contains(tensor))
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.r1Header)))
    func r1HeaderDescribesAQwen2Model() throws {
        let file = try GGUFFile.open(try #require(TestModels.url(TestModels.r1Header)), mode: .metadataOnly)
        let config = try TransformerConfig(metadata: file.metadata)
        #expect(config.architecture == .qwen2)
        #expect(config.blockCount == 28 && config.headCount == 28 && config.kvHeadCount == 4)
    }

    @Test func llama3Scaling() {
        // Llama 3.1's published values: wavelengths above 8192 / 1 are divided by 8, below 8192 / 4 kept.
        let factors = Llama3RoPEScaling(factor: 8, lowFrequencyFactor: 1, highFrequencyFactor: 4, originalContextLength: 8192)
            .frequencyFactors(dimensions: 128, frequencyBase: 500_000)
        #expect(factors.count == 64)
        #expect(factors.first == 1)
        #expect(factors.last == 8)
        #expect(factors.allSatisfy { $0 >= 1 && $0 <= 8 })
        #expect(zip(factors, factors.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
