import Foundation
import Minnow
import MinnowTemplate
import MinnowTestSupport
import Testing

/// A two-step tool call on Qwen2.5-Coder-0.5B through the public API, greedy: the model calls
/// the weather tool with valid arguments, the app answers, and the model uses the answer.
///
/// DISABLED: it fails. Greedy, this model answers with the bare call object
/// (`{"name": "get_weather", "arguments": {"city": "Paris"}}`) and no `<tool_call>` tags, with
/// or without instructions asking for them, so no call is recognized. Left here, failing when
/// enabled, for whoever makes calls work on this model (see docs/structured-output.md).
@Suite struct ToolCallModelTests {
    @Test(.disabled("Qwen2.5-Coder-0.5B writes the call without <tool_call> tags; see docs/structured-output.md"),
          .enabled(if: TestModels.available(TestModels.qwen05)), .timeLimit(.minutes(10)))
    func qwenCallsAToolAndUsesItsResult() async throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let model = try await Model.load(from: url, options: LoadOptions(backend: .cpu(threads: 2), contextLength: 1024))
        let weather = try ToolDefinition(
            name: "get_weather", description: "Get the current weather in a city.",
            parameters: #"""
                {"type": "object",
                 "properties": {"city": {"type": "string", "description": "The city's name"}},
                 "required": ["city"], "additionalProperties": false}
                """#)
        let chat = ChatSession(
            model: model, instructions: "You are a helpful assistant. Call a function by writing <tool_call></tool_call> tags.",
            parameters: GenerationParameters(maxTokens: 80, temperature: 0), tools: [weather])

        let first = try await chat.respond(to: "What is the weather like in Paris right now?")
        let call = try #require(first.toolCalls.first, "no tool call; answer: \(first.answer)")
        #expect(first.toolCalls.count == 1)
        #expect(call.name == "get_weather")
        // Valid arguments: an object with the required string `city`, nothing else.
        let arguments = try TemplateValue(json: call.arguments)
        guard case .object(let map) = arguments, case .string(let city)? = map["city"] else {
            Issue.record("arguments: \(call.arguments)")
            return
        }
        #expect(map.keys == ["city"])
        #expect(city.contains("Paris"), "city: \(city)")
        #expect(!first.answer.contains("<tool_call>"))

        // The app runs the tool and answers; the model goes on with the result.
        let second = try await chat.respond(to: [.tool(#"{"temperature_celsius": 17, "condition": "light rain"}"#)])
        #expect(second.toolCalls.isEmpty)
        #expect(second.answer.contains("17"), "answer: \(second.answer)")
        #expect(second.stats.stopReason == .endOfSequence)
        let roles = await chat.transcript.map(\.role)
        #expect(roles == [.system, .user, .assistant, .tool, .assistant])
    }
}
