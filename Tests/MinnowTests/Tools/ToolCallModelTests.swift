import Foundation
import Minnow
import MinnowGGUF
import MinnowTemplate
import MinnowTestSupport
import Testing

/// Tool calls on real Qwen2.5-Coder models through the public API, greedy.
///
/// Left to decide (`.auto`), Qwen2.5-Coder-0.5B answers with the bare call object
/// (`{"name": "get_weather", "arguments": {"city": "Paris"}}`) and no `<tool_call>` tags; it is
/// read as a call all the same (the 1.5B model writes it in a fenced JSON block, which is read
/// too). ``ToolChoice/required`` makes it write the tag (its own added token) and holds the
/// call to the schema.
@Suite(.serialized) struct ToolCallModelTests {
    static let weatherSchema = #"""
        {"type": "object",
         "properties": {"city": {"type": "string", "description": "The city's name"}},
         "required": ["city"], "additionalProperties": false}
        """#

    static func weather() throws -> ToolDefinition {
        try ToolDefinition(name: "get_weather", description: "Get the current weather in a city.", parameters: weatherSchema)
    }

    static func load(_ name: String) async throws -> Model {
        let url = try #require(TestModels.url(name))
        return try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 1024))
    }

    static func greedy(_ choice: ToolChoice, maxTokens: Int = 80) -> GenerationParameters {
        var parameters = GenerationParameters(maxTokens: maxTokens, temperature: 0)
        parameters.toolChoice = choice
        return parameters
    }

    /// Checks that `call` is a weather call whose arguments match the schema and name Paris.
    static func expectParisWeather(_ call: ToolCall) throws {
        #expect(call.name == "get_weather")
        #expect(try Grammar(jsonSchema: weatherSchema).matches(call.arguments), "arguments: \(call.arguments)")
        guard case .object(let map) = try TemplateValue(json: call.arguments), case .string(let city)? = map["city"] else {
            Issue.record("arguments: \(call.arguments)")
            return
        }
        #expect(map.keys == ["city"])
        #expect(city.contains("Paris"), "city: \(city)")
    }

    /// Turn 1 must call the tool (`.required`); turn 2, given the result, answers in text. Turn 2
    /// uses `.none`: the answer cannot be a call by construction, and the template still shows
    /// the earlier call and its result. (Under `.auto`, greedy, the 0.5B model repeats the bare
    /// call object and the tool's result as its answer instead of answering.)
    @Test(.enabled(if: TestModels.available(TestModels.qwen05)), .timeLimit(.minutes(10)))
    func qwenMustCallAToolThenUsesItsResult() async throws {
        let model = try await Self.load(TestModels.qwen05)
        let chat = ChatSession(model: model, instructions: "You are a helpful assistant.", tools: [try Self.weather()])

        let first = try await chat.respond(to: "What is the weather like in Paris right now?",
                                           parameters: Self.greedy(.required))
        let call = try #require(first.toolCalls.first, "no tool call; answer: \(first.answer)")
        #expect(first.toolCalls.count == 1)
        try Self.expectParisWeather(call)
        #expect(!first.answer.contains("<tool_call>"), "answer: \(first.answer)")

        // The app runs the tool and answers; the model goes on with the result.
        let second = try await chat.respond(to: [.tool(#"{"temperature_celsius": 17, "condition": "light rain"}"#)],
                                            parameters: Self.greedy(.none))
        #expect(second.toolCalls.isEmpty)
        #expect(!second.answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(!second.answer.contains("<tool_call>"), "answer: \(second.answer)")
        #expect(second.answer.contains("17"), "answer: \(second.answer)")
        #expect(second.stats.stopReason == .endOfSequence)
        let roles = await chat.transcript.map(\.role)
        #expect(roles == [.system, .user, .assistant, .tool, .assistant])
    }

    /// Under `.auto` the 0.5B model calls without tags; the call is read from the bare object,
    /// and the answer holds no text of it.
    @Test(.enabled(if: TestModels.available(TestModels.qwen05)), .timeLimit(.minutes(10)))
    func qwensUntaggedCallUnderAutoIsACall() async throws {
        let model = try await Self.load(TestModels.qwen05)
        let chat = ChatSession(model: model, instructions: "You are a helpful assistant.", tools: [try Self.weather()])
        let reply = try await chat.respond(to: "What is the weather like in Paris right now?",
                                           parameters: Self.greedy(.auto))
        let call = try #require(reply.toolCalls.first, "no tool call; answer: \(reply.answer)")
        #expect(reply.toolCalls.count == 1)
        try Self.expectParisWeather(call)
        #expect(reply.answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "answer: \(reply.answer)")
    }

    /// Qwen's `<tool_call>` is an added token that prints as its text: the token trie, and so a
    /// forced call's grammar, can pick it as one token.
    @Test(.enabled(if: TestModels.available(TestModels.qwen05)))
    func qwensToolCallTagIsOneTokenThatPrintsAsItsText() throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let codec = try TokenizerCodec(file: GGUFFile.open(url, mode: .metadataOnly))
        #expect(try codec.encode("<tool_call>", parseSpecialTokens: true) == [151657])
        // The bytes the token trie files it under.
        #expect(codec.bytes(of: 151657) == Array("<tool_call>".utf8))
        #expect(codec.bytes(of: 151658) == Array("</tool_call>".utf8))
        #expect(!codec.isEndOfGeneration(151657))
    }
}
