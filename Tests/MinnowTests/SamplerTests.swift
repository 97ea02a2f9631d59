import Foundation
import Minnow
import Testing

@Suite struct SamplerTests {
    let logits: [Float] = [1, 5, 3, 5, -2, 4]

    @Test func greedyPicksTheHighestLogitAndLowestIdOnTies() {
        var random = SeededRandomNumberGenerator(seed: 1)
        let token = SamplerChain([GreedySampler()]).select(from: logits, context: .init(), using: &random)
        #expect(token == 1)  // ids 1 and 3 tie at 5: the lower id wins
        let zeroTemperature = SamplerChain.standard(for: .greedy)
        #expect(zeroTemperature.select(from: [0, 2, 9, 1], context: .init(), using: &random) == 2)
    }

    @Test func topKKeepsTheKBestSortedHighestFirst() {
        var candidates = TokenCandidates(logits: logits)
        TopKSampler(k: 3).apply(to: &candidates, context: .init())
        #expect(candidates.ids == [1, 3, 5])
        #expect(candidates.logits == [5, 5, 4])
        var all = TokenCandidates(logits: logits)
        TopKSampler(k: 0).apply(to: &all, context: .init())
        #expect(all.count == logits.count)
    }

    @Test func topPKeepsTheSmallestNucleus() {
        // Probabilities 0.5, 0.3, 0.15, 0.05 (as logits of their logarithms).
        let probabilities: [Float] = [0.15, 0.5, 0.05, 0.3]
        let logits = probabilities.map { Float(log(Double($0))) }
        var candidates = TokenCandidates(logits: logits)
        TopPSampler(p: 0.75).apply(to: &candidates, context: .init())
        #expect(candidates.ids == [1, 3])  // 0.5 + 0.3 = 0.8 >= 0.75
        var wider = TokenCandidates(logits: logits)
        TopPSampler(p: 0.9).apply(to: &wider, context: .init())
        #expect(wider.ids == [1, 3, 0])  // 0.95 >= 0.9
    }

    @Test func minPDropsTokensFarBelowTheBest() {
        let probabilities: [Float] = [0.15, 0.5, 0.05, 0.3]
        let logits = probabilities.map { Float(log(Double($0))) }
        var candidates = TokenCandidates(logits: logits)
        MinPSampler(p: 0.25).apply(to: &candidates, context: .init())  // threshold 0.125
        #expect(Set(candidates.ids) == [0, 1, 3])
    }

    @Test func penaltiesFollowLlamaCppFormulas() {
        var candidates = TokenCandidates(logits: [2, -2, 1, 0.5])
        let context = SamplingContext(recentTokens: [0, 1, 1, 3])
        PenaltySampler(repetition: 2, presence: 0.5, frequency: 0.25).apply(to: &candidates, context: context)
        // id 0: 2/2 - (1*0.25 + 0.5) = 0.25; id 1: -2*2 - (2*0.25 + 0.5) = -5;
        // id 2: unseen, unchanged; id 3: 0.5/2 - 0.75 = -0.5. Exact in binary floating point.
        #expect(candidates.logits == [0.25, -5, 1, -0.5])
    }

    @Test func seededSamplingIsReproducible() {
        let logits: [Float] = (0..<50).map { Float($0 % 7) * 0.3 }
        func draw(seed: UInt64) -> [Int32] {
            var random = SeededRandomNumberGenerator(seed: seed)
            let chain = SamplerChain.standard(for: GenerationParameters(temperature: 1, topK: 0, topP: 1))
            return (0..<200).compactMap { _ in chain.select(from: logits, context: .init(), using: &random) }
        }
        #expect(draw(seed: 42) == draw(seed: 42))
        #expect(draw(seed: 42) != draw(seed: 43))
    }

    @Test func samplingFollowsTheDistribution() {
        // Two tokens with probabilities 0.8 and 0.2. With 20,000 draws the standard deviation
        // of the observed frequency is sqrt(0.16/20000) ≈ 0.0028; 0.015 is more than 5 sigma.
        let logits: [Float] = [Float(log(0.8)), Float(log(0.2))]
        var random = SeededRandomNumberGenerator(seed: 7)
        let chain = SamplerChain([TemperatureSampler(temperature: 1)])
        var zeros = 0
        let draws = 20_000
        for _ in 0..<draws where chain.select(from: logits, context: .init(), using: &random) == 0 { zeros += 1 }
        #expect(abs(Double(zeros) / Double(draws) - 0.8) < 0.015)
    }

    @Test func customSamplersPlugIntoTheStandardChain() {
        struct Ban: Sampler {
            let id: Int32
            func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
                candidates.keep { token, _ in token != id }
            }
        }
        var parameters = GenerationParameters.greedy
        parameters.additionalSamplers = [Ban(id: 2)]
        var random = SeededRandomNumberGenerator(seed: 0)
        #expect(parameters.effectiveSamplerChain.select(from: [0, 2, 9, 1], context: .init(), using: &random) == 1)
    }

    @Test func defaultsFollowDeepSeekAdviceForR1() {
        let parameters = GenerationParameters()
        #expect(parameters.temperature == 0.6)
        #expect(parameters.topP == 0.95)
    }
}
