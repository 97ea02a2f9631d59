import Minnow
import MinnowEngine
import Testing

/// A model that prefers, at every step, the end token most, then the pieces in `preference`
/// order (first most), whatever it has seen.
private func preferenceScript(_ preference: [Int32]) -> Script {
    { _, vocabularySize in
        var logits = [Float](repeating: -5, count: vocabularySize)
        logits[Int(FakeCodec.eos)] = 10
        for (rank, id) in preference.enumerated() { logits[Int(id)] = 8 - Float(rank) * 0.1 }
        return logits
    }
}

/// Reverses the logits: the least likely token wins (a chain that ignores masks would pick a
/// masked one).
private struct Contrarian: Sampler {
    func apply(to candidates: inout TokenCandidates, context: SamplingContext) {
        candidates.transformLogits(preservesOrder: false) { $0.isFinite ? -$0 : 1000 }
        GreedySampler().apply(to: &candidates, context: context)
    }
}

@Suite(.timeLimit(.minutes(1))) struct ConstrainedGenerationTests {
    let codec = FakeCodec(extraPieces: ["no", "yes!", "ye"])

    func model(preferring pieces: [String]) -> Model {
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: preferenceScript(codec.ids(pieces)))
        return fakeModel(runtime: runtime, codec: codec)
    }

    func parameters(_ grammar: String, temperature: Float = 0, seed: UInt64? = nil, maxTokens: Int = 20) throws -> GenerationParameters {
        var parameters = GenerationParameters(maxTokens: maxTokens, temperature: temperature, seed: seed)
        parameters.constraint = .grammar(try Grammar(gbnf: grammar))
        return parameters
    }

    @Test func greedyTakesTheBestAllowedTokenAndEndsOnlyWhenComplete() async throws {
        // The model wants to stop at once and prefers "x", then "no": only "no" fits, then the end.
        let model = model(preferring: ["x", "no", "n", "o"])
        let result = try await collect(model.generate(prompt: "Q", parameters: try parameters(#"root ::= "yes" | "no""#)))
        #expect(result.text == "no")
        #expect(result.stats?.stopReason == .endOfSequence)
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8])
    func everySamplerChainStaysInsideTheGrammar(seed: UInt64) async throws {
        let model = model(preferring: ["x", "z", "yes!", "ye", "s", "no", "!", "a"])
        let grammar = #"root ::= ("yes" | "no") "!"? [a-c]{0,2}"#
        var sampled = try parameters(grammar, temperature: 1.5, seed: seed)
        sampled.topK = 0
        sampled.topP = 1
        var minP = try parameters(grammar, temperature: 0.8, seed: seed)
        minP.minP = 0.05
        minP.repetitionPenalty = 1.3
        var custom = try parameters(grammar)
        custom.samplerChain = SamplerChain([Contrarian()])
        for parameters in [sampled, minP, custom, try parameters(grammar, temperature: 1, seed: seed)] {
            let result = try await collect(model.generate(prompt: "Q", parameters: parameters))
            let check = try Grammar(gbnf: grammar)
            #expect(check.matches(result.text), "\(result.text)")
            #expect(result.stats?.stopReason == .endOfSequence)
        }
    }

    @Test func aCutByMaxTokensIsReportedAsSuch() async throws {
        let model = model(preferring: ["a"])
        let result = try await collect(model.generate(prompt: "Q", parameters: try parameters(#"root ::= "a"{10}"#, maxTokens: 3)))
        #expect(result.text == "aaa")
        #expect(result.stats?.stopReason == .maxTokens)
    }

    @Test func batchGeneratorHonorsEachCallsConstraint() async throws {
        let model = model(preferring: ["x", "no", "yes!", "n", "o", "1", "2"])
        let batch = BatchGenerator(model: model, maxSequences: 3)
        let grammars = [#"root ::= "yes!""#, #"root ::= [0-9]{3}"#, #"root ::= "no" | "nope""#]
        let texts = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, grammar) in grammars.enumerated() {
                let parameters = try parameters(grammar)
                group.addTask { (index, try await collect(batch.generate(prompt: "Q", parameters: parameters)).text) }
            }
            return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        #expect(texts[0] == "yes!")
        #expect(texts[1] == "111")
        #expect(texts[2] == "no")
    }

    @Test func reasoningIsNotConstrained() async throws {
        let codec = FakeCodec()
        let reply = codec.ids(["h", "m", "</think>", "{", "}"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: replyScript(reply, codec: codec, opensThink: true))
        let model = fakeModel(runtime: runtime, codec: codec, renderer: FakeRenderer(opensThink: true))
        var parameters = GenerationParameters.greedy
        parameters.constraint = .json
        let chat = ChatSession(model: model, parameters: parameters)
        let result = try await collect(chat.stream("Q"))
        #expect(result.reasoning.contains("hm"))
        #expect(result.text == "{}")
    }
}
