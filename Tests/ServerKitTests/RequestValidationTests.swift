import Foundation
import Minnow
import ServerKit
import Testing
import ServerAPI

/// Request bodies to typed requests, and every bad one to its OpenAI-shaped 400.
@Suite struct RequestValidationTests {
    let defaults = GenerationDefaults(maxTokens: 100, temperature: 0.6, thinkingBudget: nil)

    func chat(_ json: String) throws(APIError) -> ChatCompletionRequest {
        try ChatCompletionRequest.decode(Data(json.utf8))
    }

    func chatError(_ json: String) -> APIError? {
        do {
            let request = try chat(json)
            _ = try request.chatMessages()
            _ = try request.generationParameters(defaults: defaults)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFullRequestMapsToMessagesAndParameters() throws {
        let request = try chat("""
            {"model": "x", "messages": [{"role": "system", "content": "Be brief."},
             {"role": "user", "content": [{"type": "text", "text": "Hi "}, {"type": "text", "text": "there"}]},
             {"role": "assistant", "content": null}, {"role": "developer", "content": "d"}],
             "max_completion_tokens": 7, "temperature": 0, "top_p": 0.5, "seed": -1, "stop": "END",
             "stream": true, "stream_options": {"include_usage": true}, "n": 1, "thinking_budget": 3,
             "presence_penalty": 0.5, "frequency_penalty": -0.5, "user": "u", "tools": null}
            """)
        let messages = try request.chatMessages()
        #expect(messages == [.system("Be brief."), .user("Hi there"), .assistant(""), .system("d")])
        #expect(request.stream && request.includesUsage)
        let parameters = try request.generationParameters(defaults: defaults)
        #expect(parameters.maxTokens == 7)
        #expect(parameters.temperature == 0)
        #expect(parameters.topP == 0.5)
        #expect(parameters.topK == 0)
        #expect(parameters.seed == UInt64.max)
        #expect(parameters.stopStrings == ["END"])
        #expect(parameters.reasoning == ReasoningOptions(isVisible: true, thinkingBudget: 3))
        #expect(parameters.presencePenalty == 0.5 && parameters.frequencyPenalty == -0.5)
    }

    @Test func defaultsFillWhatIsMissing() throws {
        let parameters = try chat(#"{"messages": [{"role": "user", "content": "q"}]}"#).generationParameters(defaults: defaults)
        #expect(parameters.maxTokens == 100)
        #expect(parameters.temperature == 0.6)
        #expect(parameters.seed == nil)
        #expect(parameters.reasoning.thinkingBudget == nil)
    }

    @Test(arguments: [
        // body, status, param, code
        ("{not json", 400, nil, "invalid_json"),
        ("", 400, nil, "invalid_json"),
        ("[1, 2]", 400, nil, nil),
        (#"{"messages": [], "frobnicate": 1}"#, 400, "frobnicate", "unknown_parameter"),
        (#"{"messages": [{"role": "user", "content": "q"}], "functions": []}"#, 400, "functions", "unsupported_parameter"),
        (#"{"messages": [{"role": "user", "content": "q"}], "function_call": "auto"}"#, 400, "function_call",
         "unsupported_parameter"),
        (#"{"messages": [{"role": "user", "content": "q"}], "logprobs": true}"#, 400, "logprobs", "unsupported_parameter"),
        (#"{"model": "m"}"#, 400, "messages", "missing_required_parameter"),
        (#"{"messages": "hello"}"#, 400, "messages", "invalid_type"),
        (#"{"messages": []}"#, 400, "messages", "invalid_value"),
        (#"{"messages": [{"role": "wizard", "content": "q"}]}"#, 400, "messages[0].role", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}, {"role": "function", "content": "r"}]}"#, 400,
         "messages[1].role", "unsupported_value"),
        (#"{"messages": [{"role": 5, "content": "q"}]}"#, 400, "messages[0].role", "invalid_type"),
        (#"{"messages": [{"role": "user", "content": 5}]}"#, 400, "messages[0].content", "invalid_type"),
        (#"{"messages": [{"role": "user"}]}"#, 400, "messages[0].content", "invalid_type"),
        (#"{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]}"#, 400,
         "messages[0].content[0]", "unsupported_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "temperature": "hot"}"#, 400, "temperature", "invalid_type"),
        (#"{"messages": [{"role": "user", "content": "q"}], "temperature": 2.5}"#, 400, "temperature", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "top_p": 0}"#, 400, "top_p", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "max_tokens": 0}"#, 400, "max_tokens", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "max_tokens": 2, "max_completion_tokens": 3}"#, 400,
         "max_completion_tokens", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "n": 2}"#, 400, "n", "unsupported_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "stop": ["a", "b", "c", "d", "e"]}"#, 400, "stop", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "stop": 3}"#, 400, "stop", "invalid_type"),
        (#"{"messages": [{"role": "user", "content": "q"}], "stream_options": {"include_usage": true}}"#, 400,
         "stream_options", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "thinking_budget": -1}"#, 400, "thinking_budget", "invalid_value"),
        (#"{"messages": [{"role": "user", "content": "q"}], "seed": 1.5}"#, 400, "seed", "invalid_type"),
    ] as [(String, Int, String?, String?)])
    func aBadRequestGetsItsError(body: String, status: Int, param: String?, code: String?) throws {
        let error = try #require(chatError(body))
        #expect(error.status == status)
        #expect(error.type == "invalid_request_error")
        #expect(error.param == param, "\(error.message)")
        #expect(error.code == code, "\(error.message)")
        #expect(!error.message.isEmpty)
    }

    @Test func completionRequestsTakeOnePromptAndDefaultTo16Tokens() throws {
        let request = try CompletionRequest.decode(Data(#"{"prompt": ["Once upon"], "stream": false}"#.utf8))
        #expect(request.prompt == "Once upon")
        #expect(try request.generationParameters(defaults: defaults).maxTokens == 16)
        for (body, param) in [
            (#"{"prompt": ["a", "b"]}"#, "prompt"), (#"{"prompt": 3}"#, "prompt"), (#"{}"#, "prompt"),
            (#"{"prompt": "a", "echo": true}"#, "echo"), (#"{"prompt": "a", "suffix": "b"}"#, "suffix"),
            (#"{"prompt": "a", "best_of": 2}"#, "best_of"),
        ] {
            #expect(throws: APIError.self) { try CompletionRequest.decode(Data(body.utf8)) }
            do {
                _ = try CompletionRequest.decode(Data(body.utf8))
            } catch {
                #expect(error.param == param, "\(body): \(error.message)")
            }
        }
        let empty = try CompletionRequest.decode(Data(#"{"prompt": ""}"#.utf8))
        #expect(throws: APIError.self) { try empty.generationParameters(defaults: defaults) }
    }
}
