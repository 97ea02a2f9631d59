import Foundation
import Minnow
import MinnowGGUF
import MinnowTemplate
import MinnowTestSupport
import Testing

/// Tool definitions, the tool-call grammar, the template rendering of tools and calls, and
/// tool calls streamed by a scripted model.
@Suite struct ToolCallTests {
    static let weatherSchema = #"""
        {"type": "object", "properties": {"city": {"type": "string"}, "unit": {"enum": ["celsius", "fahrenheit"]}},
         "required": ["city"], "additionalProperties": false}
        """#
    static let sumSchema = #"""
        {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
         "required": ["a", "b"], "additionalProperties": false}
        """#

    static func tools() throws -> [ToolDefinition] {
        [try ToolDefinition(name: "get_weather", description: "The current weather in a city.", parameters: weatherSchema),
         try ToolDefinition(name: "add", description: "Adds two numbers.", parameters: sumSchema)]
    }

    @Test func badParameterSchemasAreRefused() {
        #expect(throws: GrammarError.self) {
            try ToolDefinition(name: "f", description: "", parameters: "{not json")
        }
        #expect(throws: GrammarError.self) {
            try ToolDefinition(name: "f", description: "", parameters: #"{"type": "object", "allOf": []}"#)
        }
        #expect(throws: GrammarError.self) {
            try ToolDefinition(name: "f", description: "", parameters: ##"{"$ref": "#/$defs/a", "$defs": {"a": {}}}"##)
        }
    }

    @Test func theCallGrammarHoldsNamesAndArgumentsToTheSchemas() throws {
        let grammar = try ToolCallSyntax(tools: Self.tools()).grammar
        func call(_ json: String) -> String { "\n" + json + "\n</tool_call>" }
        #expect(grammar.matches(call(#"{"name": "get_weather", "arguments": {"city": "Paris"}}"#)))
        #expect(grammar.matches(call(#"{"name": "get_weather", "arguments": {"city": "Oslo", "unit": "celsius"}}"#)))
        #expect(grammar.matches(call(#"{"name":"add","arguments":{"a":2,"b":-3.5}}"#)))
        // An unknown tool, another tool's arguments, a missing or extra or mistyped argument.
        #expect(!grammar.matches(call(#"{"name": "get_time", "arguments": {"city": "Paris"}}"#)))
        #expect(!grammar.matches(call(#"{"name": "add", "arguments": {"city": "Paris"}}"#)))
        #expect(!grammar.matches(call(#"{"name": "add", "arguments": {"a": 2}}"#)))
        #expect(!grammar.matches(call(#"{"name": "get_weather", "arguments": {"city": "Paris", "x": 1}}"#)))
        #expect(!grammar.matches(call(#"{"name": "get_weather", "arguments": {"city": 7}}"#)))
        #expect(!grammar.matches(call(#"{"name": "get_weather", "arguments": {"city": "Paris", "unit": "kelvin"}}"#)))
        // Without the closing tag the call is not complete.
        #expect(!grammar.matches("\n" + #"{"name": "add", "arguments": {"a": 1, "b": 2}}"#))
    }

    @Test func callsParseToCompactArguments() {
        let call = ToolCallSyntax.parseCall("\n" + #"{"name": "add", "arguments": {"a": 2, "b": [1, "x"]}}"# + "\n")
        #expect(call == ToolCall(name: "add", arguments: #"{"a":2,"b":[1,"x"]}"#))
        #expect(ToolCallSyntax.parseCall(#"{"name": "add"}"#) == nil)
        #expect(ToolCallSyntax.parseCall(#"{"name": 3, "arguments": {}}"#) == nil)
        #expect(ToolCallSyntax.parseCall("not json") == nil)
    }

    /// Qwen2.5's own template: tools in the system message, the assistant's call inside
    /// `<tool_call>` tags with its arguments as an object, and the tool's result as a user turn
    /// in `<tool_response>` tags.
    @Test(.enabled(if: TestModels.available(TestModels.qwen05)))
    func qwenTemplateRendersToolsCallsAndResults() throws {
        let url = try #require(TestModels.url(TestModels.qwen05))
        let renderer = TemplateRenderer(file: try GGUFFile.open(url, mode: .metadataOnly))
        let messages: [ChatMessage] = [
            .system("Be brief."), .user("Weather in Paris?"),
            .assistant("", toolCalls: [ToolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#)]),
            .tool(#"{"temperature": 18}"#),
        ]
        let text = try renderer.render(messages, tools: Self.tools(), addGenerationPrompt: true)
        #expect(text.hasPrefix("<|im_start|>system\nBe brief.\n\n# Tools\n"))
        #expect(text.contains(
            #"{"type": "function", "function": {"name": "get_weather", "description": "The current weather in a city.", "parameters": {"type": "object", "properties": {"city": {"type": "string"}"#))
        #expect(text.contains(#"{"type": "function", "function": {"name": "add""#))
        #expect(text.hasSuffix("""
            <|im_start|>user
            Weather in Paris?<|im_end|>
            <|im_start|>assistant
            <tool_call>
            {"name": "get_weather", "arguments": {"city": "Paris"}}
            </tool_call><|im_end|>
            <|im_start|>user
            <tool_response>
            {"temperature": 18}
            </tool_response><|im_end|>
            <|im_start|>assistant

            """))
        // Without tools the template renders as before.
        let plain = try renderer.render([.user("Hi")], tools: [], addGenerationPrompt: true)
        #expect(plain == (try renderer.render([.user("Hi")], addGenerationPrompt: true)))
        #expect(!plain.contains("# Tools"))
    }

    /// A scripted model calls a tool, then, given its result, answers with it.
    @Test func aCallIsStreamedRecordedAndAnsweredByATool() async throws {
        let call = "\n" + #"{"name": "get_weather", "arguments": {"city": "Paris"}}"# + "\n"
        let codec = FakeCodec(extraPieces: ["<tool_call>", "</tool_call>", "<tool_", "Checking", "18C", "It is", " 18C."])
        let first = codec.ids(["Checking", "."]) + codec.ids(["<tool_call>"])
            + (try codec.encode(call, parseSpecialTokens: false)) + codec.ids(["</tool_call>"])
        let second = codec.ids(["It is", " 18C."])
        let result = codec.id("18C")
        let turnOne = replyScript(first, codec: codec)
        let turnTwo = replyScript(second, codec: codec)
        // The second answer follows once the tool's result is in the conversation.
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: { context, size in
            context.contains(result) ? turnTwo(context, size) : turnOne(context, size)
        })
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), tools: try Self.tools())
        let collected = try await collect(chat.stream("Weather in Paris?"))
        let expected = ToolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#)
        #expect(collected.toolCalls == [expected])
        #expect(collected.text == "Checking.")
        #expect(collected.stats?.stopReason == .endOfSequence)
        #expect(await chat.transcript.last == .assistant("Checking.", toolCalls: [expected]))

        let reply = try await chat.respond(to: [.tool("18C")])
        #expect(reply.answer == "It is 18C.")
        #expect(reply.toolCalls.isEmpty)
        #expect(await chat.transcript.suffix(2) == [.tool("18C"), .assistant("It is 18C.")])
    }

    /// The answer a scripted model gives to "Weather in Paris?" with the weather tool offered.
    private func answer(_ text: String) async throws -> (text: String, toolCalls: [ToolCall]) {
        let codec = FakeCodec()
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize,
                                  script: replyScript(try codec.encode(text, parseSpecialTokens: false), codec: codec))
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), tools: try Self.tools())
        let reply = try await chat.respond(to: "Weather in Paris?")
        return (reply.answer, reply.toolCalls)
    }

    /// Qwen2.5 models often call without the tags when calling is optional (measured on the 0.5B
    /// and 1.5B): a bare or fenced call object at the start of the answer is a call, as in
    /// llama.cpp's Hermes parser; several may follow each other.
    @Test func untaggedCallsAtTheStartOfTheAnswerAreCalls() async throws {
        let paris = ToolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#)
        let rome = ToolCall(name: "get_weather", arguments: #"{"city":"Rome","unit":"celsius"}"#)
        let bare = try await answer(#" {"name": "get_weather", "arguments": {"city": "Paris"}}"#)
        #expect(bare.toolCalls == [paris] && bare.text.isEmpty)
        let fenced = try await answer("```json\n" + #"{"name": "get_weather", "arguments": {"city": "Paris"}}"# + "\n```")
        #expect(fenced.toolCalls == [paris] && fenced.text.isEmpty)
        let two = try await answer(#"{"name": "get_weather", "arguments": {"city": "Paris"}}"# + "\n"
                                   + #"{ "name":"get_weather","arguments":{"city":"Rome","unit":"celsius"}}"#)
        #expect(two.toolCalls == [paris, rome] && two.text.isEmpty)
        // Braces inside strings do not end the object.
        let braces = try await answer(#"{"name": "get_weather", "arguments": {"city": "}{\"x"}}"#)
        #expect(braces.toolCalls == [ToolCall(name: "get_weather", arguments: #"{"city":"}{\"x"}"#)])
    }

    /// Only a call object naming an offered tool, at the very start, is a call: other JSON,
    /// other code fences and text are the answer, unchanged.
    @Test func otherAnswersAreLeftAsText() async throws {
        for text in [
            #"{"city": "Paris"}"#,
            #"{"name": "get_time", "arguments": {}}"#,
            #"{"name": "get_weather"} and more"#,
            "```python\nprint(1)\n```",
            #"It is sunny. {"name": "get_weather", "arguments": {"city": "Paris"}}"#,
            "{",
            "```",
        ] {
            let reply = try await answer(text)
            #expect(reply.toolCalls.isEmpty, "\(text)")
            #expect(reply.text == text, "\(text)")
        }
    }

    /// Text that only begins like `<tool_call>` is released as answer text.
    @Test func aPartialOpeningTagIsAnswerText() async throws {
        let codec = FakeCodec(extraPieces: ["<tool_", "x"])
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize,
                                  script: replyScript(codec.ids(["a", "<tool_", "x", "<tool_"]), codec: codec))
        let chat = ChatSession(model: fakeModel(runtime: runtime, codec: codec), tools: try Self.tools())
        let reply = try await chat.respond(to: "Hi")
        #expect(reply.answer == "a<tool_x<tool_")
        #expect(reply.toolCalls.isEmpty)
    }
}
