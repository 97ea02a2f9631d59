import Foundation
import Minnow
import MinnowTestSupport
import Testing

/// `LoadOptions.chatTemplateFile`: another template in front of a model's weights.
@Suite struct ChatTemplateFileTests {
    /// ChatML whose generation prompt opens `<think>`, as the newer R1 template's does.
    static let thinkingChatML = """
        {% for message in messages %}<|im_start|>{{ message.role }}
        {{ message.content }}<|im_end|>
        {% endfor %}{% if add_generation_prompt %}<|im_start|>assistant
        <think>
        {% endif %}
        """

    @Test(.enabled(if: TestModels.available(TestModels.smolLM2)))
    func aMissingTemplateFileFailsTheLoad() async throws {
        let url = try #require(TestModels.url(TestModels.smolLM2))
        let options = LoadOptions(backend: .cpu(threads: 1), contextLength: 64,
                                  chatTemplateFile: URL(fileURLWithPath: "/nonexistent/template.jinja"))
        do {
            _ = try await Model.load(from: url, options: options)
            Issue.record("the load succeeded")
        } catch let error as ModelError {
            guard case .unreadableFile(let path, _) = error else { throw error }
            #expect(path == "/nonexistent/template.jinja")
        }
    }

    @Test(.enabled(if: TestModels.available(TestModels.qwen05)))
    func aJinjaTemplateThatOpensThinkingSplitsTheReasoning() async throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-think-\(UUID().uuidString).jinja")
        try Self.thinkingChatML.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let model = try await Model.load(from: url, options: LoadOptions(
            backend: .cpu(threads: 2), contextLength: 256, chatTemplateFile: file))
        let batch = BatchGenerator(model: model, maxSequences: 1)
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 12
        parameters.reasoning = ReasoningOptions(isVisible: true, thinkingBudget: 4)
        let reply = try await batch.respond(to: [.user("What is 2 + 2?")], parameters: parameters)
        // The prompt opened <think>: the first tokens are reasoning, until the budget closes it.
        #expect(reply.stats.reasoningTokens == 4)
        #expect(!reply.reasoning.isEmpty)
        #expect(!reply.answer.contains("</think>"))
    }

    @Test(.enabled(if: TestModels.available(TestModels.qwen05) && TestModels.available(TestModels.r1Header)))
    func aGGUFFileLendsItsTemplate() async throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let header = try #require(TestModels.url(TestModels.r1Header))
        var parameters = GenerationParameters.greedy
        parameters.maxTokens = 1
        let own = try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 256))
        let ownReply = try await BatchGenerator(model: own, maxSequences: 1).respond(to: [.user("Hi")], parameters: parameters)
        let r1 = try await Model.load(from: url, options: LoadOptions(
            backend: .cpu(threads: 2), contextLength: 256, chatTemplateFile: header))
        let r1Reply = try await BatchGenerator(model: r1, maxSequences: 1).respond(to: [.user("Hi")], parameters: parameters)
        // Qwen's template adds a default system message; R1's renders only
        // `<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>`: far fewer tokens.
        #expect(r1Reply.stats.promptTokens < ownReply.stats.promptTokens)
        #expect(r1Reply.stats.promptTokens > 3)
    }
}
