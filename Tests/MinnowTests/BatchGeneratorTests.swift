import Minnow
import MinnowEngine
import Testing

/// A chat model that answers each user message with the message itself, then `<|im_end|>`.
func echoScript(codec: FakeCodec) -> Script {
    let header = codec.ids(["<|im_start|>", "a", "s", "s", "i", "s", "t", "a", "n", "t", "\n"])
    let user = codec.ids(["<|im_start|>", "u", "s", "e", "r", "\n"])
    let end = codec.id("<|im_end|>")
    return { context, vocabularySize in
        let generated = tokensAfterLast(header, in: context)
        let prompt = Array(context.dropLast(generated))
        let fromUser = tokensAfterLast(user, in: prompt)
        let message = prompt.suffix(fromUser).prefix { $0 != end }
        let next = generated < message.count ? message[message.startIndex + generated] : end
        return oneHot(next, vocabularySize)
    }
}

@Suite(.timeLimit(.minutes(1))) struct BatchGeneratorTests {
    @Test func concurrentCallsEachGetTheirOwnAnswer() async throws {
        let codec = FakeCodec()
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: echoScript(codec: codec))
        let batch = BatchGenerator(model: fakeModel(runtime: runtime, codec: codec), maxSequences: 3)
        // Five calls on three sequences: two wait for a free one.
        let messages = ["abc", "hello there", "xy", "a longer message than the others", "z"]
        let replies = try await withThrowingTaskGroup(of: (Int, ChatReply).self) { group in
            for (index, message) in messages.enumerated() {
                group.addTask {
                    (index, try await batch.respond(to: [.system("S"), .user(message)], parameters: .greedy))
                }
            }
            return try await group.reduce(into: [Int: ChatReply]()) { $0[$1.0] = $1.1 }
        }
        for (index, message) in messages.enumerated() {
            let reply = try #require(replies[index])
            #expect(reply.answer == message)
            #expect(reply.stats.stopReason == .endOfSequence)
            #expect(reply.stats.generatedTokens == message.count + 1)
        }
        // One session per sequence, made once.
        #expect(runtime.counters.snapshot.sessionsMade == 3)
    }

    @Test func aSequenceReusesItsCachedPrefix() async throws {
        let codec = FakeCodec()
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: echoScript(codec: codec))
        let batch = BatchGenerator(model: fakeModel(runtime: runtime, codec: codec), maxSequences: 1)
        let first = try await batch.respond(to: [.system("Summarize."), .user("one")], parameters: .greedy)
        let second = try await batch.respond(to: [.system("Summarize."), .user("two")], parameters: .greedy)
        #expect(first.stats.cachedTokens == 0)
        // BOS, `<|im_start|>system\nSummarize.<|im_end|>\n` (1 + 6 + 1 + 10 + 1 + 1 tokens) and
        // `<|im_start|>user\n` (1 + 4 + 1) are in the cache already.
        #expect(second.stats.cachedTokens == 1 + 20 + 6)
        #expect(second.answer == "two")
    }

    @Test func cancellingOneCallLeavesTheOthersRunning() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 512, script: { _, size in oneHot(a, size) })
        let batch = BatchGenerator(model: fakeModel(runtime: runtime, codec: codec), maxSequences: 2)
        var long = GenerationParameters.greedy
        long.maxTokens = 200
        let parameters = long
        let other = Task { try await batch.respond(to: [.user("keep going")], parameters: parameters) }
        var pieces = 0
        for try await event in batch.generate(messages: [.user("halt now")], parameters: parameters) {
            if case .text = event { pieces += 1 }
            if pieces == 3 { break }  // drops the stream
        }
        // The stop was requested at the `break`: count the stopped call's tokens from here. (Its
        // prompt, which alone holds an `h`, tells which sequence it ran on.)
        let h = codec.id("h")
        func stoppedCallTokens() throws -> Int {
            let sessions = runtime.counters.snapshot.evaluatedBySession.values.filter { $0.contains(h) }
            try #require(sessions.count == 1)
            return sessions[0].count
        }
        let atStop = try stoppedCallTokens()
        let reply = try await other.value
        #expect(reply.stats.stopReason == .maxTokens)
        #expect(reply.answer == String(repeating: "a", count: 200))
        try await waitFor(batch, BatchLoad(waiting: 0, running: 0))
        // At most the token in flight at the stop was evaluated for the stopped call.
        #expect(try stoppedCallTokens() - atStop <= 1)
    }

    @Test func aCancelledTaskGetsACancellationError() async throws {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 4096, script: { _, size in oneHot(a, size) })
        runtime.counters.update { $0.pauseAfterBatch = 4 }
        let batch = BatchGenerator(model: fakeModel(runtime: runtime, codec: codec), maxSequences: 2)
        var long = GenerationParameters.greedy
        long.maxTokens = 4000
        let parameters = long
        let task = Task { try await batch.respond(to: [.user("go")], parameters: parameters) }
        while !runtime.counters.snapshot.isPaused { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        // Paused after a decoding step: the count cannot move until the release.
        let atCancel = runtime.counters.snapshot.evaluatedTokens
        runtime.counters.release()
        await #expect(throws: CancellationError.self) { try await task.value }
        try await waitFor(batch, BatchLoad(waiting: 0, running: 0))
        #expect(runtime.counters.snapshot.evaluatedTokens - atCancel <= 1)
        // The generator serves the next call.
        var short = GenerationParameters.greedy
        short.maxTokens = 3
        let reply = try await batch.respond(to: [.user("again")], parameters: short)
        #expect(reply.answer == "aaa")
    }

    @Test func aFollowUpGoesBackToTheSequenceHoldingItsConversation() async throws {
        let codec = FakeCodec()
        let echo = echoScript(codec: codec)
        let bang = codec.id("!")
        let a = codec.id("a")
        // Echoes, except in a conversation with a `!`, which it fills with `a` until stopped.
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 4096, script: { context, size in
            context.contains(bang) ? oneHot(a, size) : echo(context, size)
        })
        let batch = BatchGenerator(model: fakeModel(runtime: runtime, codec: codec), maxSequences: 2)
        var endless = GenerationParameters.greedy
        endless.maxTokens = 4000
        let parameters = endless
        // The endless call holds one sequence while the short conversation runs on the other;
        // then it is cancelled, so its sequence is the one freed last.
        let other = Task { try await batch.respond(to: [.user("go on!")], parameters: parameters) }
        while batch.load.running == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let short = [ChatMessage.user("ab")]
        let shortReply = try await batch.respond(to: short, parameters: .greedy)
        #expect(shortReply.answer == "ab")
        other.cancel()
        _ = await other.result
        try await waitFor(batch, BatchLoad(waiting: 0, running: 0))
        // The follow-up repeats the short conversation: it must land on that conversation's
        // sequence, whose cache holds its whole first prompt and answer.
        let followUp = short + [.assistant(shortReply.answer), .user("cd")]
        let reply = try await batch.respond(to: followUp, parameters: .greedy)
        #expect(reply.answer == "cd")
        // The first prompt and the two answer tokens evaluated after it (`a`, `b`; the sampled
        // `<|im_end|>` is never evaluated).
        #expect(reply.stats.cachedTokens == shortReply.stats.promptTokens + 2)
    }

    @Test func loadCountsWaitingAndRunningCalls() async throws {
        let (batch, first, second) = try await oneRunningOneWaiting()
        first.cancel()
        try await waitFor(batch, BatchLoad(waiting: 0, running: 1))
        second.cancel()
        try await waitFor(batch, BatchLoad(waiting: 0, running: 0))
        _ = await (first.result, second.result)
    }

    @Test func aCallCancelledWhileWaitingLeavesTheQueueAtOnce() async throws {
        let (batch, first, second) = try await oneRunningOneWaiting()
        // The waiting call goes while the first keeps its sequence.
        second.cancel()
        try await waitFor(batch, BatchLoad(waiting: 0, running: 1))
        await #expect(throws: CancellationError.self) { try await second.value }
        first.cancel()
        try await waitFor(batch, BatchLoad(waiting: 0, running: 0))
        _ = await first.result
    }

    /// A generator of one sequence with a call running on it and a second call waiting. Each
    /// step takes at least 1 ms, so a call of 100,000 tokens outlasts the suite's time limit: the
    /// first call is still running when the second arrives, however slowly the test's tasks are
    /// scheduled (a sanitizer build on a busy machine once let a 4,000-token call finish first).
    private func oneRunningOneWaiting() async throws
        -> (BatchGenerator, Task<ChatReply, Error>, Task<ChatReply, Error>) {
        let codec = FakeCodec()
        let a = codec.id("a")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, capacity: 200_000,
                                  delayPerBatch: .milliseconds(1), script: { _, size in oneHot(a, size) })
        let batch = BatchGenerator(model: fakeModel(runtime: runtime, codec: codec), maxSequences: 1)
        #expect(batch.load == BatchLoad(waiting: 0, running: 0))
        var long = GenerationParameters.greedy
        long.maxTokens = 100_000
        let parameters = long
        let first = Task { try await batch.respond(to: [.user("one")], parameters: parameters) }
        try await waitFor(batch, BatchLoad(waiting: 0, running: 1))
        let second = Task { try await batch.respond(to: [.user("two")], parameters: parameters) }
        try await waitFor(batch, BatchLoad(waiting: 1, running: 1))
        return (batch, first, second)
    }

    /// Polls until `batch.load` is `expected` (the suite's time limit bounds the wait).
    private func waitFor(_ batch: BatchGenerator, _ expected: BatchLoad) async throws {
        while batch.load != expected { try await Task.sleep(for: .milliseconds(1)) }
    }
}
