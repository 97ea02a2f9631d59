import Foundation
import Minnow
import MinnowEngine
import Synchronization

/// Counters shared by a fake runtime and its sessions, readable from any task.
final class FakeCounters: Sendable {
    struct Values {
        var evaluatedTokens = 0
        var evaluateCalls = 0
        var sessionsMade = 0
        var batches: [[Int32]] = []
        /// Every token each session evaluated, in order, by the session's number (0 for the
        /// first one made): a test of several concurrent generations counts one of them.
        var evaluatedBySession: [Int: [Int32]] = [:]
        /// Pause evaluation right after this many batches (in total), until released.
        var pauseAfterBatch: Int?
        var isPaused = false
        var released = false
    }
    private let values = Mutex(Values())
    func update(_ body: (inout Values) -> Void) { values.withLock { body(&$0) } }
    var snapshot: Values { values.withLock { $0 } }
    /// Lets a paused evaluation go on.
    func release() { update { $0.released = true } }
}

/// What the scripted model does: given every token in the cache, the logits of the next token.
typealias Script = @Sendable (_ context: [Int32], _ vocabularySize: Int) -> [Float]

/// Logits that make `token` the clear favourite (10 against 0).
func oneHot(_ token: Int32, _ vocabularySize: Int) -> [Float] {
    var logits = [Float](repeating: 0, count: vocabularySize)
    if Int(token) < vocabularySize, token >= 0 { logits[Int(token)] = 10 }
    return logits
}

/// A scripted evaluation session: deterministic logits from a script, a bounded cache, batched
/// prompt evaluation with `shouldContinue` between batches, and an optional delay per batch.
final class FakeSession: EvaluationSession {
    let vocabularySize: Int
    let capacity: Int
    private(set) var tokens: [Int32] = []
    let batchSize: Int
    let delayPerBatch: Duration
    let script: Script
    let counters: FakeCounters
    /// This session's number among those its runtime made.
    let index: Int

    init(vocabularySize: Int, capacity: Int, batchSize: Int, delayPerBatch: Duration, script: @escaping Script,
         counters: FakeCounters, index: Int = 0) {
        self.index = index
        self.vocabularySize = vocabularySize
        self.capacity = capacity
        self.batchSize = batchSize
        self.delayPerBatch = delayPerBatch
        self.script = script
        self.counters = counters
    }

    func truncate(to count: Int) {
        tokens = Array(tokens.prefix(max(0, count)))
    }

    func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float] {
        if tokens.count + newTokens.count > capacity {
            throw EvaluationError.contextFull(capacity: capacity, requested: tokens.count + newTokens.count)
        }
        if let bad = newTokens.first(where: { $0 < 0 || Int($0) >= vocabularySize }) {
            throw EvaluationError.invalidToken(bad)
        }
        counters.update { $0.evaluateCalls += 1 }
        var start = 0
        while start < newTokens.count {
            if start > 0 && !shouldContinue() { throw EvaluationError.cancelled }
            let batch = Array(newTokens[start..<min(start + batchSize, newTokens.count)])
            if delayPerBatch > .zero {
                let c = delayPerBatch.components
                usleep(UInt32(c.seconds * 1_000_000 + c.attoseconds / 1_000_000_000_000))
            }
            tokens += batch
            var pause = false
            counters.update {
                $0.evaluatedTokens += batch.count
                $0.batches.append(batch)
                $0.evaluatedBySession[index, default: []] += batch
                if $0.batches.count == $0.pauseAfterBatch {
                    $0.isPaused = true
                    pause = true
                }
            }
            start += batch.count
            // Hold still (as a slow batch would) until the test releases us, the consumer
            // cancels, or 120 s pass; then go on normally. Like the real engine, this blocks the
            // model's evaluation thread, not one of the cooperative pool's: the test's polling
            // task keeps running. The bound is long because a loaded machine can still be slow.
            if pause {
                for _ in 0..<120_000 where !counters.snapshot.released && shouldContinue() { usleep(1000) }
            }
        }
        return script(tokens, vocabularySize)
    }
}

/// A runtime that makes fake sessions.
struct FakeRuntime: ModelRuntime {
    var vocabularySize: Int
    var capacity = 512
    var batchSize = 64
    var delayPerBatch: Duration = .zero
    var script: Script
    let counters = FakeCounters()

    func makeSession() throws -> any EvaluationSession {
        var index = 0
        counters.update {
            index = $0.sessionsMade
            $0.sessionsMade += 1
        }
        return FakeSession(vocabularySize: vocabularySize, capacity: capacity, batchSize: batchSize,
                           delayPerBatch: delayPerBatch, script: script, counters: counters, index: index)
    }

    func makeBatchSession(sequences: Int) throws -> any BatchEvaluationSession {
        SeparateSessions(try (0..<sequences).map { _ in try makeSession() })
    }
}

/// A scripted chat model: after each `<|im_start|>assistant\n` it says `reply` (piece ids), then
/// `<|im_end|>`.
func replyScript(_ reply: [Int32], codec: FakeCodec, opensThink: Bool = false) -> Script {
    let header = codec.ids(["<|im_start|>", "a", "s", "s", "i", "s", "t", "a", "n", "t", "\n"]
                           + (opensThink ? ["<think>", "\n"] : []))
    let end = codec.id("<|im_end|>")
    return { context, vocabularySize in
        let generated = tokensAfterLast(header, in: context)
        let next = generated < reply.count ? reply[generated] : end
        return oneHot(next, vocabularySize)
    }
}

/// How many tokens follow the last occurrence of `marker` in `context` (all of them if absent).
func tokensAfterLast(_ marker: [Int32], in context: [Int32]) -> Int {
    guard context.count >= marker.count else { return context.count }
    var start = context.count - marker.count
    while start >= 0 {
        if Array(context[start..<(start + marker.count)]) == marker { return context.count - start - marker.count }
        start -= 1
    }
    return context.count
}

/// A model made of fakes.
func fakeModel(runtime: FakeRuntime, codec: FakeCodec, renderer: FakeRenderer = FakeRenderer()) -> Model {
    Model(
        info: ModelInfo(name: "fake", architecture: "fake", contextLength: runtime.capacity,
                        trainedContextLength: runtime.capacity, vocabularySize: codec.vocabularySize, fileSize: 0),
        runtime: runtime, codec: codec, renderer: renderer)
}

/// Collects a stream's events.
struct Collected {
    var text = ""
    var reasoning = ""
    var stats: GenerationStats?
    var textEvents: [String] = []
    var toolCalls: [ToolCall] = []
}

func collect(_ stream: AsyncThrowingStream<GenerationEvent, Error>) async throws -> Collected {
    var result = Collected()
    for try await event in stream {
        switch event {
        case .text(let piece):
            result.text += piece
            result.textEvents.append(piece)
        case .reasoning(let piece): result.reasoning += piece
        case .toolCall(let name, let arguments): result.toolCalls.append(ToolCall(name: name, arguments: arguments))
        case .done(let stats): result.stats = stats
        }
    }
    return result
}
