import Foundation
import Minnow
import MinnowGGUF
import MinnowTestSupport
import Testing

/// The public API on real models. Kept short (a few dozen tokens) so the suite takes seconds in
/// `swift test -c release`.
@Suite struct RealModelTests {
    /// A question SmolLM2-135M answers with "Paris" on every CPU kernel variant, its first token
    /// 1.7 logit ahead of the next (measured 2026-12-02: portable 1.68, avx2 1.75, avx512 1.68).
    static let franceQuestion = "What is the capital of France? Answer in one sentence."

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2ChatsThroughThePublicAPI() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let model = try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 512))
        #expect(model.info.architecture == "llama")
        #expect(model.info.contextLength == 512)
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 24
        let chat = ChatSession(model: model, instructions: "You are a helpful assistant.", parameters: parameters)
        var first = Collected()
        // "What is the capital of France?" alone is a near-tie at SmolLM2's first answer token
        // ("The" against another opening: 0.01-0.17 logit apart, depending on the CPU kernel
        // variant); with "Answer in one sentence." the first token leads by 1.7 on every variant.
        for try await event in chat.stream(Self.franceQuestion) {
            switch event {
            case .text(let piece): first.text += piece
            case .reasoning(let piece): first.reasoning += piece
            case .toolCall: Issue.record("no tools were given")
            case .done(let stats): first.stats = stats
            }
        }
        let stats1 = try #require(first.stats)
        #expect(first.text.contains("Paris"), "answer: \(first.text)")
        #expect(stats1.cachedTokens == 0)
        #expect(stats1.generatedTokens > 0)
        #expect(!first.text.contains("<|im_end|>"))

        let reply = try await chat.respond(to: "And of Germany?")
        print("SmolLM2 turn 1: \(stats1.promptTokens) prompt, \(stats1.generatedTokens) generated, "
              + "\(Int(stats1.promptTokensPerSecond)) prompt tok/s, \(Int(stats1.decodeTokensPerSecond)) decode tok/s; "
              + "turn 2: \(reply.stats.promptTokens) prompt, \(reply.stats.cachedTokens) cached; answers: "
              + "\(first.text.debugDescription) \(reply.answer.debugDescription)")
        // The second turn reuses at least the whole first prompt from the cache.
        #expect(reply.stats.cachedTokens >= stats1.promptTokens)
        #expect(reply.stats.promptTokens > reply.stats.cachedTokens)
        #expect(!reply.answer.isEmpty)
        #expect(await chat.transcript.count == 5)
    }

    // Greedy answers to three questions, batched (one forward pass per step for all three) and
    // one at a time: the batched rows see the same arithmetic except the order of sums in the
    // multi-row matrix kernels (MultiSequenceTests bounds the logit differences), far below the
    // gaps between the top tokens of these answers, so the texts must be equal.
    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2BatchedAnswersEqualSeparateOnes() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let model = try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 256))
        var greedy = GenerationParameters.greedy
        greedy.maxTokens = 12
        let parameters = greedy
        let questions = [Self.franceQuestion, "Name a primary colour.", "What is two plus two?"]
        let conversations = questions.map { [ChatMessage.system("You are a helpful assistant."), .user($0)] }
        var separate: [String] = []
        for conversation in conversations {
            separate.append(try await BatchGenerator(model: model, maxSequences: 1)
                .respond(to: conversation, parameters: parameters).answer)
        }
        let batch = BatchGenerator(model: model, maxSequences: 3)
        let together = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, conversation) in conversations.enumerated() {
                group.addTask { (index, try await batch.respond(to: conversation, parameters: parameters).answer) }
            }
            return try await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        print("SmolLM2 batched answers: \(questions.indices.map { together[$0] ?? "" })")
        #expect(questions.indices.map { together[$0] ?? "" } == separate)
        #expect(separate[0].contains("Paris"))
    }

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func smolLM2RawGenerationIsReproducibleWithASeed() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let model = try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 256))
        func run(seed: UInt64) async throws -> String {
            var parameters = GenerationParameters(maxTokens: 12, temperature: 0.9, seed: seed)
            parameters.topK = 40
            var text = ""
            for try await event in model.generate(prompt: "Once upon a time", parameters: parameters) {
                if case .text(let piece) = event { text += piece }
            }
            return text
        }
        let first = try await run(seed: 7)
        #expect(!first.isEmpty)
        #expect(try await run(seed: 7) == first)
    }

    @Test(.enabled(if: TestModels.available(TestModels.r1Header)))
    func aFileWithCutTensorDataIsAFormatError() async throws {
        let url = try #require(TestModels.url(TestModels.r1Header))
        await #expect {
            _ = try await Model.load(from: url, options: LoadOptions(checksAvailableMemory: false))
        } throws: { error in
            guard case ModelError.invalidFormat(let why) = error else { return false }
            return !why.isEmpty
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.r1Header)))
    func theR1TemplateOpensTheThoughtAndTheTagsDecodeAsText() throws {
        let url = try #require(TestModels.url(TestModels.r1Header))
        let file = try GGUFFile.open(url, mode: .metadataOnly)
        let codec = try TokenizerCodec(file: file)
        let renderer = TemplateRenderer(file: file)
        let prompt = try renderer.render([.user("2+2?")], addGenerationPrompt: true)
        // This file's template (the original R1 one) ends with the assistant tag and leaves the
        // model to open `<think>` itself; newer R1 templates open it in the prompt. Both work.
        #expect(prompt.hasSuffix("<｜Assistant｜>") || Model.promptOpensReasoning(prompt), "prompt: \(prompt)")
        // The tags are single tokens that decode to their text, so the splitter sees them.
        for tag in ["<think>", "</think>"] {
            let ids = try codec.encode(tag, parseSpecialTokens: true)
            #expect(ids.count == 1)
            #expect(String(decoding: ids.flatMap(codec.bytes(of:)), as: UTF8.self) == tag)
        }
        // An earlier answer is rendered without its reasoning.
        let history = try renderer.render(
            [.user("2+2?"), .assistant("4", reasoning: "easy"), .user("3+3?")], addGenerationPrompt: true)
        #expect(!history.contains("easy"))
    }
}
