import Minnow
import MinnowEngine
import Testing

@Suite struct ChatSessionTests {
    @Test func answersAndRecordsTheTurn() async throws {
        let codec = FakeCodec(extraPieces: ["Paris", "."])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize,
                                  script: replyScript(codec.ids(["Paris", "."]), codec: codec))
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), instructions: "Be brief.")
        let reply = try await chat.respond(to: "Capital of France?")
        #expect(reply.answer == "Paris.")
        #expect(reply.reasoning == "")
        #expect(reply.stats.stopReason == .endOfSequence)
        #expect(reply.stats.generatedTokens == 3)  // "Paris", ".", <|im_end|>
        #expect(await chat.transcript == [.system("Be brief."), .user("Capital of France?"), .assistant("Paris.")])
    }

    @Test func aSecondTurnEvaluatesOnlyItsNewTokens() async throws {
        let codec = FakeCodec(extraPieces: ["Paris", "Berlin", "."])
        let reply = codec.ids(["Paris", "."])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: replyScript(reply, codec: codec))
        let renderer = FakeRenderer()
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), instructions: "Be brief.")
        let first = try await collect(chat.stream("Capital of France?"))
        let afterFirst = runtime.counters.snapshot.evaluatedTokens
        let second = try await collect(chat.stream("And of Germany?"))
        let evaluatedBySecond = runtime.counters.snapshot.evaluatedTokens - afterFirst

        // What the cache holds after turn 1: its prompt and the reply tokens evaluated during
        // decoding ("Paris" and "."; the end token is sampled but never evaluated).
        let prompt1 = [FakeCodec.bos] + (try codec.encode(
            renderer.render([.system("Be brief."), .user("Capital of France?")], addGenerationPrompt: true),
            parseSpecialTokens: true))
        let cache = prompt1 + reply
        let prompt2 = [FakeCodec.bos] + (try codec.encode(
            renderer.render([.system("Be brief."), .user("Capital of France?"), .assistant("Paris."),
                             .user("And of Germany?")], addGenerationPrompt: true),
            parseSpecialTokens: true))
        var common = 0
        while common < min(cache.count, prompt2.count) && cache[common] == prompt2[common] { common += 1 }

        let stats1 = try #require(first.stats)
        let stats2 = try #require(second.stats)
        #expect(stats1.cachedTokens == 0)
        #expect(stats1.promptTokens == prompt1.count)
        #expect(stats2.promptTokens == prompt2.count)
        #expect(stats2.cachedTokens == common)
        #expect(common == cache.count)  // the whole first turn is reused
        // Turn 2 evaluates its new prompt tokens, then "Paris" and "." while decoding.
        #expect(evaluatedBySecond == prompt2.count - common + reply.count)
        #expect(runtime.counters.snapshot.sessionsMade == 1)
    }

    @Test func reasoningIsSplitAcrossTokensAndNotFedBack() async throws {
        // The R1-style template opens <think> itself; the model emits only the closing tag, and
        // it is split across two tokens.
        let codec = FakeCodec(extraPieces: ["Let", " me", " see", "</th", "ink>", "\n\n", "Four", "."])
        let reply = codec.ids(["Let", " me", " see", "</th", "ink>", "\n\n", "Four", "."])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize,
                                  script: replyScript(reply, codec: codec, opensThink: true))
        let model = fakeModel(runtime: runtime, codec: codec, renderer: FakeRenderer(opensThink: true))
        let chat = ChatSession(model: model)
        let result = try await collect(chat.stream("2+2?"))
        #expect(result.reasoning == "Let me see")
        #expect(result.text == "Four.")
        #expect(result.stats?.reasoningTokens == 5)  // "Let", " me", " see", "</th", "ink>"
        let transcript = await chat.transcript
        #expect(transcript.last == .assistant("Four.", reasoning: "Let me see"))

        // The next turn's prompt holds the answer only: the cache diverges right after the
        // previous assistant header, and what is evaluated from there has no reasoning.
        let batchesBefore = runtime.counters.snapshot.batches.count
        let next = try await chat.respond(to: "And 3+3?")
        let secondPrompt = runtime.counters.snapshot.batches[batchesBefore...]
            .prefix { _ in true }.flatMap { $0 }
        let evaluatedText = codec.text(Array(secondPrompt.prefix(next.stats.promptTokens - next.stats.cachedTokens)))
        #expect(evaluatedText.hasPrefix("Four.<|im_end|>\n<|im_start|>user\nAnd 3+3?"))
        #expect(!evaluatedText.contains("Let me see"))
    }

    @Test func hiddenReasoningIsNotEmitted() async throws {
        let codec = FakeCodec(extraPieces: ["hmm", "Yes"])
        let reply = codec.ids(["<think>", "hmm", "</think>", "Yes"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: replyScript(reply, codec: codec))
        var parameters = GenerationParameters.greedy
        parameters.reasoning.isVisible = false
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: parameters)
        let result = try await collect(chat.stream("?"))
        #expect(result.reasoning == "")
        #expect(result.text == "Yes")
    }

    @Test func thinkingBudgetClosesTheThought() async throws {
        // The model reasons forever ("x") until it sees </think> in its context, then answers.
        let codec = FakeCodec(extraPieces: ["OK"])
        let close = codec.id("</think>")
        let x = codec.id("x")
        let ok = codec.id("OK")
        let end = codec.id("<|im_end|>")
        let script: Script = { context, size in
            guard let closeAt = context.lastIndex(of: close) else { return oneHot(x, size) }
            return oneHot(context.count - closeAt < 4 ? ok : end, size)
        }
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: script)
        let model = fakeModel(runtime: runtime, codec: codec, renderer: FakeRenderer(opensThink: true))
        var parameters = GenerationParameters.greedy
        parameters.reasoning.thinkingBudget = 5
        let chat = ChatSession(model: model, parameters: parameters)
        let result = try await collect(chat.stream("Think hard."))
        #expect(result.reasoning == "xxxxx")
        #expect(result.stats?.reasoningTokens == 5)
        #expect(result.text.hasPrefix("OK"))
        #expect(result.stats?.stopReason == .endOfSequence)
    }

    @Test func stopStringsEndTheAnswerWithoutLeaking() async throws {
        let codec = FakeCodec(extraPieces: ["Hi", "EN", "D!", "more"])
        let reply = codec.ids(["Hi", " ", "EN", "D!", "more"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: replyScript(reply, codec: codec))
        var parameters = GenerationParameters.greedy
        parameters.stopStrings = ["END"]
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: parameters)
        let result = try await collect(chat.stream("?"))
        #expect(result.text == "Hi ")
        #expect(result.textEvents.allSatisfy { !$0.contains("E") })
        #expect(result.stats?.stopReason == .stopString("END"))
    }

    @Test func maxTokensStopsGeneration() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: { _, size in oneHot(a, size) })
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 7
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: parameters)
        let reply = try await chat.respond(to: "go")
        #expect(reply.answer == "aaaaaaa")
        #expect(reply.stats.stopReason == .maxTokens)
        #expect(reply.stats.generatedTokens == 7)
    }

    @Test func overlappingCallsAreServedInOrder() async throws {
        let codec = FakeCodec(extraPieces: ["ok"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, delayPerBatch: .milliseconds(2),
                                  script: replyScript(codec.ids(["ok"]), codec: codec))
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec))
        async let first = chat.respond(to: "one")
        async let second = chat.respond(to: "two")
        let (a, b) = try await (first, second)
        #expect(a.answer == "ok" && b.answer == "ok")
        let users = await chat.transcript.filter { $0.role == .user }.map(\.content)
        #expect(Set(users) == ["one", "two"])
        #expect(await chat.transcript.count == 4)
        #expect(await chat.transcript.map(\.role) == [.user, .assistant, .user, .assistant])
    }

    @Test func seededSamplingIsReproducibleThroughTheAPI() async throws {
        let codec = FakeCodec()
        // Fairly flat logits that depend on the context, so the sampled path matters.
        let script: Script = { context, size in
            var hash = UInt64(context.count) &* 0x9E37_79B9_7F4A_7C15
            for token in context.suffix(4) { hash = (hash ^ UInt64(token)) &* 0x100_0000_01B3 }
            // Ids below 6 (end, BOS, control tokens) are never chosen, so generation runs to maxTokens.
            return (0..<size).map { i in i < 6 ? -Float.infinity : Float((hash >> UInt64(i % 60)) & 7) * 0.4 }
        }
        func run(seed: UInt64) async throws -> String {
            let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: script)
            let model = fakeModel(runtime: runtime, codec: codec)
            var parameters = GenerationParameters(maxTokens: 40, temperature: 1, topK: 0, topP: 1)
            parameters.seed = seed
            return try await collect(model.generate(prompt: "abc", parameters: parameters)).text
        }
        let first = try await run(seed: 1234)
        #expect(first.count > 10)
        #expect(try await run(seed: 1234) == first)
        #expect(try await run(seed: 999) != first)
    }

    @Test func resetKeepsInstructionsAndForgetsTurns() async throws {
        let codec = FakeCodec(extraPieces: ["ok"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize,
                                  script: replyScript(codec.ids(["ok"]), codec: codec))
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), instructions: "Sys")
        _ = try await chat.respond(to: "hi")
        await chat.reset()
        #expect(await chat.transcript == [.system("Sys")])
        let reply = try await chat.respond(to: "again")
        #expect(reply.stats.cachedTokens > 0)  // the instructions stayed in the cache
        #expect(await chat.transcript.count == 3)
    }

    @Test func rawGenerationAddsBOSAndReusesThePrefix() async throws {
        let codec = FakeCodec()
        let b = codec.id("b")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: { _, size in oneHot(b, size) })
        let model = fakeModel(runtime: runtime, codec: codec)
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 3
        let first = try await collect(model.generate(prompt: "abc", parameters: parameters))
        #expect(first.text == "bbb")
        #expect(runtime.counters.snapshot.batches.first?.first == FakeCodec.bos)
        let second = try await collect(model.generate(prompt: "abcbb", parameters: parameters))
        // "abcbb" with BOS is 6 tokens, all in the cache from the first call; the last one is
        // evaluated again for its logits.
        #expect(second.stats?.cachedTokens == 5)
    }
}
