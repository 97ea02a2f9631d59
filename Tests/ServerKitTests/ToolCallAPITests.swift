import Foundation
import Minnow
import ServerKit
import Testing
import ServerAPI

/// `tools`, `tool_choice`, `parallel_tool_calls` and tool messages in a chat request, and tool
/// calls in whole and streamed answers.
@Suite struct ToolCallAPITests {
    let defaults = GenerationDefaults(maxTokens: 100, temperature: 0.6, thinkingBudget: nil)

    static let tools = #"""
        [{"type": "function", "function": {"name": "get_weather", "description": "Weather.",
          "parameters": {"type": "object", "properties": {"unit": {"type": "string"}, "city": {"type": "string"}},
                         "required": ["city"]}}},
         {"type": "function", "function": {"name": "ping"}}]
        """#

    func chat(_ json: String) throws(APIError) -> ChatCompletionRequest {
        try ChatCompletionRequest.decode(Data(json.utf8))
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func toolsAndAToolChoiceMapToTheLibrary() throws {
        let request = try chat("""
            {"messages": [{"role": "user", "content": "q"}], "tools": \(Self.tools),
             "tool_choice": {"type": "function", "function": {"name": "get_weather"}}, "parallel_tool_calls": false}
            """)
        #expect(request.tools.map(\.name) == ["get_weather", "ping"])
        #expect(request.tools[0].description == "Weather.")
        // The schema is kept as sent, key order included; no parameters: any object.
        #expect(request.tools[0].parameters.hasPrefix(#"{"type": "object", "properties": {"unit""#))
        #expect(request.tools[1].parameters == #"{"type": "object"}"#)
        let parameters = try request.generationParameters(defaults: defaults)
        #expect(parameters.toolChoice == .function("get_weather"))
        #expect(!parameters.parallelToolCalls)
        for (text, choice) in [("\"auto\"", ToolChoice.auto), ("\"none\"", .none), ("\"required\"", .required)] {
            let plain = try chat(#"{"messages": [{"role": "user", "content": "q"}], "tools": "# + Self.tools
                                 + #", "tool_choice": "# + text + "}")
            #expect(try plain.generationParameters(defaults: defaults).toolChoice == choice)
        }
        let bare = try chat(#"{"messages": [{"role": "user", "content": "q"}]}"#)
        #expect(bare.tools.isEmpty)
        #expect(try bare.generationParameters(defaults: defaults).toolChoice == .auto)
        #expect(try bare.generationParameters(defaults: defaults).parallelToolCalls)
    }

    @Test func anAssistantsCallsAndAToolsResultBecomeMessages() throws {
        let request = try chat("""
            {"messages": [{"role": "user", "content": "Weather?"},
             {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
               "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\"}"}}]},
             {"role": "tool", "tool_call_id": "call_1", "content": "18C"}]}
            """)
        #expect(try request.chatMessages() == [
            .user("Weather?"),
            .assistant("", toolCalls: [ToolCall(name: "get_weather", arguments: #"{"city": "Paris"}"#)]),
            .tool("18C"),
        ])
    }

    @Test(arguments: [
        // body fields after messages, param, code
        (#""tools": []"#, "tools", "empty_array"),
        (#""tools": {}"#, "tools", "invalid_type"),
        (#""tools": [{"type": "retrieval"}]"#, "tools[0].type", "invalid_value"),
        (#""tools": [{"type": "function"}]"#, "tools[0].function", "missing_required_parameter"),
        (#""tools": [{"type": "function", "function": {"name": "a b"}}]"#, "tools[0].function.name", "invalid_value"),
        (#""tools": [{"type": "function", "function": {"name": "f", "parameters": []}}]"#,
         "tools[0].function.parameters", "invalid_type"),
        (#""tools": [{"type": "function", "function": {"name": "f", "parameters": {"allOf": []}}}]"#,
         "tools[0].function.parameters", "invalid_value"),
        (#""tools": [{"type": "function", "function": {"name": "f"}}, {"type": "function", "function": {"name": "f"}}]"#,
         "tools[1].function.name", "invalid_value"),
        (#""tool_choice": "required""#, "tool_choice", "invalid_value"),
        (#""tool_choice": "sometimes""#, "tool_choice", "invalid_value"),
        (#""tool_choice": 3"#, "tool_choice", "invalid_type"),
        (#""tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": {"type": "function", "function": {"name": "g"}}"#,
         "tool_choice", "invalid_value"),
        (#""tools": [{"type": "function", "function": {"name": "f"}}], "tool_choice": "required", "response_format": {"type": "json_object"}"#,
         "tool_choice", "invalid_value"),
        (#""parallel_tool_calls": "yes""#, "parallel_tool_calls", "invalid_type"),
        (#""functions": [{"name": "f"}]"#, "functions", "unsupported_parameter"),
        (#""function_call": "auto""#, "function_call", "unsupported_parameter"),
    ] as [(String, String, String)])
    func aBadToolFieldGetsItsError(fields: String, param: String, code: String) throws {
        let body = #"{"messages": [{"role": "user", "content": "q"}], "# + fields + "}"
        do {
            let request = try chat(body)
            _ = try request.chatMessages()
            _ = try request.generationParameters(defaults: defaults)
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.status == 400)
            #expect(error.param == param, "\(error.message)")
            #expect(error.code == code, "\(error.message)")
        }
    }

    @Test(arguments: [
        (#"{"role": "tool", "content": "r"}"#, "messages[1].tool_call_id", "missing_required_parameter"),
        (#"{"role": "function", "name": "f", "content": "r"}"#, "messages[1].role", "unsupported_value"),
        (#"{"role": "user", "content": "r", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}]}"#,
         "messages[1].tool_calls", "invalid_value"),
        (#"{"role": "assistant", "content": null, "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": "[1]"}}]}"#,
         "messages[1].tool_calls[0].function.arguments", "invalid_value"),
        (#"{"role": "assistant", "tool_calls": [{"id": "c", "type": "function", "function": {"name": "f", "arguments": {}}}]}"#,
         "messages[1].tool_calls[0].function.arguments", "invalid_type"),
    ] as [(String, String, String)])
    func aBadToolMessageGetsItsError(message: String, param: String, code: String) throws {
        let body = #"{"messages": [{"role": "user", "content": "q"}, "# + message + "]}"
        do {
            _ = try chat(body).chatMessages()
            Issue.record("accepted: \(body)")
        } catch {
            #expect(error.status == 400)
            #expect(error.param == param, "\(error.message)")
            #expect(error.code == code, "\(error.message)")
        }
    }

    @Test func aWholeAnswerCarriesItsCallsWithNullContent() throws {
        var reply = ReplyAccumulator()
        let stats = GenerationStats(promptTokens: 3, generatedTokens: 9, stopReason: .endOfSequence)
        for event in [GenerationEvent.toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#),
                      .toolCall(name: "ping", arguments: "{}"), .done(stats)] { reply.add(event) }
        let text = JSONText.encode(reply.chatCompletion(id: "i", created: 1, model: "m", stats: stats))
        let choice = try #require((try object(text)["choices"] as? [[String: Any]])?.first)
        #expect(choice["finish_reason"] as? String == "tool_calls")
        let message = try #require(choice["message"] as? [String: Any])
        #expect(message.keys.contains("content") && message["content"] is NSNull)
        let calls = try #require(message["tool_calls"] as? [[String: Any]])
        #expect(calls.count == 2)
        let first = try #require(calls.first)
        #expect(first["type"] as? String == "function")
        #expect(first["index"] == nil)
        let id = try #require(first["id"] as? String)
        #expect(id.hasPrefix("call_") && id.count == 29)
        #expect(id != calls[1]["id"] as? String)
        let function = try #require(first["function"] as? [String: Any])
        #expect(function["name"] as? String == "get_weather")
        #expect(function["arguments"] as? String == #"{"city":"Paris"}"#)
        // Text and calls: the text stays; a call cut by max_tokens is still "length".
        var mixed = ReplyAccumulator()
        mixed.add(.text("Checking."))
        mixed.add(.toolCall(name: "ping", arguments: "{}"))
        let cut = GenerationStats(stopReason: .maxTokens)
        let mixedChoice = try #require((try object(JSONText.encode(mixed.chatCompletion(
            id: "i", created: 1, model: "m", stats: cut)))["choices"] as? [[String: Any]])?.first)
        #expect((mixedChoice["message"] as? [String: Any])?["content"] as? String == "Checking.")
        #expect(mixedChoice["finish_reason"] as? String == "length")
        // No calls: no tool_calls key.
        var plain = ReplyAccumulator()
        plain.add(.text("A"))
        let plainMessage = try #require(((try object(JSONText.encode(plain.chatCompletion(
            id: "i", created: 1, model: "m", stats: stats)))["choices"] as? [[String: Any]])?.first?["message"])
            as? [String: Any])
        #expect(plainMessage["tool_calls"] == nil && plainMessage["content"] as? String == "A")
    }

    @Test func aStreamSendsEachCallWithItsIndexAndEndsWithToolCalls() throws {
        let encoder = ChatStreamEncoder(id: "c", created: 0, model: "m", includesUsage: false)
        let events: [GenerationEvent] = [
            .toolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#), .toolCall(name: "ping", arguments: "{}"),
            .done(GenerationStats(stopReason: .endOfSequence)),
        ]
        let chunks = try events.flatMap { encoder.chunks(for: $0) }.map { try object(JSONText.encode($0)) }
        #expect(chunks.count == 3)
        func choice(_ index: Int) -> [String: Any]? { (chunks[index]["choices"] as? [[String: Any]])?.first }
        for (index, name) in ["get_weather", "ping"].enumerated() {
            let delta = try #require(choice(index)?["delta"] as? [String: Any])
            #expect(delta["content"] == nil)
            let call = try #require((delta["tool_calls"] as? [[String: Any]])?.first)
            #expect(call["index"] as? Int == index)
            #expect((call["id"] as? String)?.hasPrefix("call_") == true)
            #expect(call["type"] as? String == "function")
            #expect((call["function"] as? [String: Any])?["name"] as? String == name)
        }
        #expect(choice(2)?["finish_reason"] as? String == "tool_calls")
        // A stream without calls still ends with "stop".
        let plain = ChatStreamEncoder(id: "c", created: 0, model: "m", includesUsage: false)
        let last = try object(JSONText.encode(try #require(plain.chunks(for: .done(GenerationStats(stopReason: .endOfSequence))).first)))
        #expect((last["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String == "stop")
    }
}
