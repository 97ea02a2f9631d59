import Foundation
import Minnow
import MinnowEngine
import MinnowTestSupport
import Testing

/// Prompt caches on disk, on SmolLM2-135M (and Qwen 0.5B as "another model"): a restored
/// session answers exactly as a fresh one and evaluates only its new tokens; every kind of bad
/// file is refused with its own error.
@Suite(.serialized) struct PromptCacheTests {
    static let instructions = "You are a helpful assistant. You answer questions about geography in one short "
        + "sentence, naming the place and nothing else, and you never add greetings."

    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-pc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func load(_ name: String, context: Int = 512, cache: KVCacheType = .f16) async throws -> Model {
        try await Model.load(from: try #require(TestModels.url(name)),
                             options: LoadOptions(backend: .cpu(threads: 2), contextLength: context, kvCacheType: cache))
    }

    static var greedy: GenerationParameters {
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 16
        return parameters
    }

    /// Saves a prepared session with the instructions to a file in a new folder.
    func savedSession(_ model: Model) async throws -> (URL, URL) {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("system.minnowcache")
        let chat = ChatSession(model: model, instructions: Self.instructions, parameters: Self.greedy)
        try await chat.prepare()
        try await chat.savePromptCache(to: file)
        return (folder, file)
    }

    func refusal(_ file: URL, _ model: Model) async -> PromptCacheError? {
        do {
            _ = try await ChatSession.restoring(from: file, model: model)
            return nil
        } catch let error as PromptCacheError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func aRestoredSessionAnswersLikeAFreshOneAndEvaluatesOnlyNewTokens() async throws {
        let model = try await load(TestModels.smolLM2)
        let (folder, file) = try await savedSession(model)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Atomic write: only the file is left, no temporary.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["system.minnowcache"])

        let fresh = try await ChatSession(model: model, instructions: Self.instructions, parameters: Self.greedy)
            .respond(to: "What is the capital of France?")
        // Another model object, as another process would have.
        let again = try await load(TestModels.smolLM2)
        let restored = try await ChatSession.restoring(from: file, model: again, parameters: Self.greedy)
        #expect(await restored.instructions == Self.instructions)
        let reply = try await restored.respond(to: "What is the capital of France?")
        #expect(reply.answer == fresh.answer)
        #expect(reply.stats.cachedTokens > 20)
        #expect(fresh.stats.cachedTokens == 0)
        #expect(reply.stats.promptTokens == fresh.stats.promptTokens)
        print("prompt cache: restored \(reply.stats.cachedTokens) of \(reply.stats.promptTokens) prompt tokens; "
              + "answer \(reply.answer.debugDescription)")

        // A second save over the first replaces it (rename over an existing file).
        try await restored.savePromptCache(to: file)
        let third = try await ChatSession.restoring(from: file, model: again, parameters: Self.greedy)
        #expect(await third.transcript.count == 3)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func damagedFilesAreRefusedEachWithItsOwnError() async throws {
        let model = try await load(TestModels.smolLM2)
        let (folder, file) = try await savedSession(model)
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = try Data(contentsOf: file)

        // One flipped bit in the keys and values.
        var flipped = good
        flipped[flipped.count - 100] ^= 0x10
        let corrupt = folder.appendingPathComponent("corrupt.minnowcache")
        try flipped.write(to: corrupt)
        #expect(await refusal(corrupt, model) == .corrupted("checksum mismatch"))

        // Cut short, as by a full disk or a partial copy.
        let cut = folder.appendingPathComponent("cut.minnowcache")
        try good.prefix(good.count / 2).write(to: cut)
        #expect(await refusal(cut, model) == .truncated(expectedBytes: good.count, actualBytes: good.count / 2))
        // Cut inside the header.
        try good.prefix(20).write(to: cut)
        guard case .truncated = await refusal(cut, model) else {
            Issue.record("a file cut in its header was not refused as cut")
            return
        }

        // Not a prompt cache at all.
        let other = folder.appendingPathComponent("other.bin")
        try Data("GGUF not a cache".utf8).write(to: other)
        #expect(await refusal(other, model) == .notAPromptCache(path: other.path))

        // A later format version.
        var future = good
        future[8] = 9
        try future.write(to: corrupt)
        #expect(await refusal(corrupt, model) == .unsupportedVersion(9))

        // A missing file.
        guard case .io = await refusal(folder.appendingPathComponent("missing"), model) else {
            Issue.record("a missing file was not refused as unreadable")
            return
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2) && TestModels.available(TestModels.qwen05)))
    func mismatchedModelsCachesAndContextsAreRefused() async throws {
        let model = try await load(TestModels.smolLM2)
        let (folder, file) = try await savedSession(model)
        defer { try? FileManager.default.removeItem(at: folder) }

        let qwen = try await load(TestModels.qwen05)
        guard case .modelMismatch = await refusal(file, qwen) else {
            Issue.record("a cache of another model was not refused as such")
            return
        }
        let f32 = try await load(TestModels.smolLM2, cache: .f32)
        #expect(await refusal(file, f32) == .cacheTypeMismatch(saved: "f16", current: "f32"))
        let small = try await load(TestModels.smolLM2, context: 16)
        guard case .contextTooSmall(_, 16) = await refusal(file, small) else {
            Issue.record("a cache longer than the context was not refused as such")
            return
        }
        // A chat session file is not a raw token prefix.
        do {
            try await model.loadPromptCache(from: file)
            Issue.record("a chat session file was loaded as a token prefix")
        } catch let error as PromptCacheError {
            #expect(error == .wrongKind(saved: "chat session", expected: "token prefix"))
        }
    }

    /// The answer and statistics of a raw generation.
    static func collect(_ stream: AsyncThrowingStream<GenerationEvent, Error>) async throws
        -> (answer: String, stats: GenerationStats) {
        var answer = ""
        var stats = GenerationStats(stopReason: .cancelled)
        for try await event in stream {
            switch event {
            case .text(let piece): answer += piece
            case .reasoning, .toolCall: break
            case .done(let final): stats = final
            }
        }
        return (answer, stats)
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func aRawTokenPrefixIsSavedAndRestored() async throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("prefix.minnowcache")
        let prefix = "The following is a list of the planets of the solar system, in order from the Sun:"
        let model = try await load(TestModels.smolLM2)
        try await model.savePromptCache(prompt: prefix, to: file)

        let fresh = try await load(TestModels.smolLM2)
        let expected = try await Self.collect(fresh.generate(prompt: prefix + " Mercury,", parameters: Self.greedy))
        let again = try await load(TestModels.smolLM2)
        let restored = try await again.loadPromptCache(from: file)
        #expect(restored > 10)
        let reply = try await Self.collect(again.generate(prompt: prefix + " Mercury,", parameters: Self.greedy))
        #expect(reply.answer == expected.answer)
        #expect(reply.stats.cachedTokens == restored)
    }
}
