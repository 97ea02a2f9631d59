import Minnow
import MinnowEngine
import Testing

// A paused fake evaluation holds its model's evaluation thread (each test has its own model),
// never a cooperative one, so these tests can run in parallel with others.
//
// Each test counts the tokens the fake model evaluates after the stop is requested: at most 1
// (the evaluation in flight). The stop is requested while the fake is paused right after a
// batch, so the count at the stop is exact, not a race with the evaluation thread. The time
// limit turns a stop that is never seen into a failure instead of a hung run.
@Suite(.timeLimit(.minutes(1))) struct CancellationTests {
    /// Waits until the session has finished its current generation.
    func waitUntilIdle(_ chat: ChatSession) async throws {
        for _ in 0..<2000 {
            if await !chat.isGenerating { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the session did not become idle")
    }

    @Test func droppingTheStreamStopsDecodingWithinOneToken() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: { _, size in oneHot(a, size) })
        // The prompt is one batch; decoding evaluates one token per batch. Pause in the middle of
        // decoding, so the measurement does not depend on how fast this machine is.
        runtime.counters.update { $0.pauseAfterBatch = 8 }
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: .greedy)
        var atCancel = 0
        for try await event in chat.stream("go") {
            if case .text = event {
                // Wait here (the stream buffers) until the model pauses: the last text before
                // the pause may arrive before it, so checking only on a text event could miss it.
                while !runtime.counters.snapshot.isPaused { try await Task.sleep(for: .milliseconds(1)) }
                atCancel = runtime.counters.snapshot.evaluatedTokens
                break  // drops the stream
            }
        }
        try await waitUntilIdle(chat)
        let after = runtime.counters.snapshot.evaluatedTokens
        #expect(atCancel > 0)
        #expect(after - atCancel <= 1)
        // The session is still usable, and the partial answer was recorded.
        #expect(await chat.transcript.count == 2)
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 2
        let reply = try await chat.respond(to: "again", parameters: parameters)
        #expect(reply.answer == "aa")
        #expect(reply.stats.stopReason == .maxTokens)
    }

    @Test func cancellingTheTaskStopsALongPromptBetweenBatches() async throws {
        let codec = FakeCodec(extraPieces: ["ok"])
        // Batches of 8 tokens; evaluation pauses after the 5th until the test has cancelled.
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 4096, batchSize: 8,
                                  script: replyScript(codec.ids(["ok"]), codec: codec))
        runtime.counters.update { $0.pauseAfterBatch = 5 }
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec))
        let longMessage = String(repeating: "lorem ipsum ", count: 80)
        let task = Task { try await chat.respond(to: longMessage) }
        while !runtime.counters.snapshot.isPaused { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        let atCancel = runtime.counters.snapshot.evaluatedTokens
        // Not released: the paused batch goes on only once it sees the cancellation.
        await #expect(throws: CancellationError.self) { try await task.value }
        try await waitUntilIdle(chat)
        let after = runtime.counters.snapshot.evaluatedTokens
        #expect(atCancel == 40)
        // The fake counts a batch before it pauses, so the batch in flight at the stop is in
        // `atCancel`: no token of a later batch may be evaluated.
        #expect(after - atCancel <= 1)
        // Nothing was generated, so no turn was recorded; the session answers the next message
        // and reuses the part of the prompt that was evaluated.
        #expect(await chat.transcript.isEmpty)
        let reply = try await chat.respond(to: longMessage)
        #expect(reply.answer == "ok")
        #expect(reply.stats.cachedTokens >= atCancel)
    }

    @Test func stopGeneratingEndsTheAnswerWithACancelledReason() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: { _, size in oneHot(a, size) })
        // Pause after the 4th decoded token until the stop is seen, so the answer cannot run on
        // to the end of the context however slowly this test's task is scheduled.
        runtime.counters.update { $0.pauseAfterBatch = 5 }
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: .greedy)
        var stats: GenerationStats?
        var atStop: Int?
        for try await event in chat.stream("go") {
            switch event {
            case .text:
                if atStop == nil {
                    while !runtime.counters.snapshot.isPaused { try await Task.sleep(for: .milliseconds(1)) }
                    atStop = runtime.counters.snapshot.evaluatedTokens
                    chat.stopGenerating()
                }
            case .done(let s): stats = s
            case .reasoning, .toolCall: break
            }
        }
        #expect(stats?.stopReason == .cancelled)
        let stoppedAt = try #require(atStop)
        // The stream has ended, so the generation has: nothing more will be evaluated.
        #expect(runtime.counters.snapshot.evaluatedTokens - stoppedAt <= 1)
        // The prompt and the 4 decoded tokens were evaluated before the stop.
        #expect(runtime.counters.snapshot.batches.count == 5)
    }
}

@Suite struct ContextFullTests {
    @Test func aFullContextStopsWithAClearReason() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 60,
                                  script: { _, size in oneHot(a, size) })
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: .greedy)
        let reply = try await chat.respond(to: "hello")
        #expect(reply.stats.stopReason == .contextFull)
        #expect(reply.stats.promptTokens + reply.stats.generatedTokens >= 60)
        // A prompt that cannot fit at all also ends with .contextFull, not an error.
        let long = try await chat.respond(to: String(repeating: "z", count: 100))
        #expect(long.stats.stopReason == .contextFull)
    }

    @Test func droppingOldestTurnsLetsTheConversationGoOn() async throws {
        let codec = FakeCodec(extraPieces: ["answer"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 80,
                                  script: replyScript(codec.ids(["answer"]), codec: codec))
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), instructions: "S",
                               parameters: .greedy, contextOverflow: .dropOldestTurns)
        for turn in 0..<8 {
            let reply = try await chat.respond(to: "question \(turn)")
            #expect(reply.stats.stopReason == .endOfSequence, "turn \(turn)")
            #expect(reply.answer == "answer")
        }
        // The transcript keeps every turn even though the model no longer sees the oldest.
        #expect(await chat.transcript.count == 17)
    }

    @Test func droppingTurnsMidAnswerContinuesTheAnswer() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 100,
                                  script: { _, size in oneHot(a, size) })
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), parameters: .greedy,
                               contextOverflow: .dropOldestTurns)
        var short = GenerationParameters.greedy
        short.maxTokens = 10
        _ = try await chat.respond(to: "q0", parameters: short)
        // The second prompt fits with the first turn, but prompt + 60 answer tokens do not: the
        // context fills mid-answer, the first turn is dropped, and the answer goes on.
        var long = GenerationParameters.greedy
        long.maxTokens = 60
        let reply = try await chat.respond(to: "q1", parameters: long)
        #expect(reply.stats.promptTokens + 60 > 100)
        #expect(reply.stats.stopReason == .maxTokens)
        #expect(reply.answer == String(repeating: "a", count: 60))
    }
}
