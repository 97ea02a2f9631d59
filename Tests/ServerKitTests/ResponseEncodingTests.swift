import Foundation
import Minnow
import ServerKit
import Testing
import ServerAPI

/// Error bodies, response JSON and server-sent event framing.
@Suite struct ResponseEncodingTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func errorBodiesHaveTheOpenAIShapeWithNulls() throws {
        let text = JSONText.encode(APIError.invalidRequest("bad", param: nil, code: nil).body)
        #expect(text == #"{"error":{"code":null,"message":"bad","param":null,"type":"invalid_request_error"}}"#)
        let full = try object(JSONText.encode(APIError.unsupportedParameter("tools").body))
        let error = try #require(full["error"] as? [String: Any])
        #expect(error["param"] as? String == "tools")
        #expect(error["code"] as? String == "unsupported_parameter")
        #expect(APIError.queueFull(retryAfter: 2).status == 429)
        #expect(APIError.queueFull(retryAfter: 2).retryAfter == 2)
        #expect(APIError.unauthorized.status == 401)
        #expect(APIError.contextLengthExceeded(promptTokens: 600, contextLength: 512).code == "context_length_exceeded")
    }

    @Test func aChatStreamIsFramedAsOpenAIDoes() throws {
        let encoder = ChatStreamEncoder(id: "chatcmpl-1", created: 5, model: "m", includesUsage: true)
        let stats = GenerationStats(promptTokens: 10, cachedTokens: 4, generatedTokens: 3, reasoningTokens: 1, stopReason: .maxTokens)
        var text = ServerSentEvents.event(encoder.opening())
        for event in [GenerationEvent.reasoning("hm"), .text("Paris"), .done(stats)] {
            for chunk in encoder.chunks(for: event) { text += ServerSentEvents.event(chunk) }
        }
        text += ServerSentEvents.done
        let events = text.components(separatedBy: "\n\n").filter { !$0.isEmpty }
        #expect(events.count == 6)
        #expect(events.allSatisfy { $0.hasPrefix("data: ") && !$0.dropFirst(6).contains("\n") })
        #expect(events.last == "data: [DONE]")
        let chunks = try events.dropLast().map { try object(String($0.dropFirst(6))) }
        func delta(_ index: Int) -> [String: Any]? {
            ((chunks[index]["choices"] as? [[String: Any]])?.first?["delta"]) as? [String: Any]
        }
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" && $0["id"] as? String == "chatcmpl-1" })
        #expect(delta(0)?["role"] as? String == "assistant")
        #expect(delta(1)?["reasoning_content"] as? String == "hm")
        #expect(delta(1)?["content"] == nil)
        #expect(delta(2)?["content"] as? String == "Paris")
        let last = try #require((chunks[3]["choices"] as? [[String: Any]])?.first)
        #expect(last["finish_reason"] as? String == "length")
        // With include_usage: usage is null in every chunk but the last, which has no choices.
        #expect(chunks[0]["usage"] is NSNull)
        #expect((chunks[4]["choices"] as? [Any])?.isEmpty == true)
        let usage = try #require(chunks[4]["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 10)
        #expect(usage["completion_tokens"] as? Int == 3)
        #expect(usage["total_tokens"] as? Int == 13)
        #expect((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int == 4)
        #expect((usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int == 1)
    }

    @Test func withoutIncludeUsageNoChunkHasUsage() throws {
        let encoder = ChatStreamEncoder(id: "c", created: 0, model: "m", includesUsage: false)
        let chunks = encoder.chunks(for: .done(GenerationStats(stopReason: .endOfSequence)))
        #expect(chunks.count == 1)
        let json = try object(JSONText.encode(chunks[0]))
        #expect(json["usage"] == nil)
        #expect(((json["choices"] as? [[String: Any]])?.first?["finish_reason"]) as? String == "stop")
    }

    @Test func aWholeReplySplitsReasoningFromTheAnswer() throws {
        var reply = ReplyAccumulator()
        let stats = GenerationStats(promptTokens: 3, generatedTokens: 5, reasoningTokens: 2, stopReason: .stopString("X"))
        for event in [GenerationEvent.reasoning("think "), .reasoning("more"), .text("Answer"), .done(stats)] { reply.add(event) }
        let json = try object(JSONText.encode(reply.chatCompletion(id: "i", created: 1, model: "m", stats: stats)))
        let choice = try #require((json["choices"] as? [[String: Any]])?.first)
        let message = try #require(choice["message"] as? [String: Any])
        #expect(message["content"] as? String == "Answer")
        #expect(message["reasoning_content"] as? String == "think more")
        #expect(choice["finish_reason"] as? String == "stop")
        #expect(json["object"] as? String == "chat.completion")
        // No reasoning: no reasoning_content key.
        var plain = ReplyAccumulator()
        plain.add(.text("A"))
        let plainJSON = try object(JSONText.encode(plain.chatCompletion(id: "i", created: 1, model: "m", stats: stats)))
        let plainMessage = try #require(((plainJSON["choices"] as? [[String: Any]])?.first?["message"]) as? [String: Any])
        #expect(plainMessage["reasoning_content"] == nil)
    }

    @Test func textCompletionChunksCarryTextAndFinishReason() throws {
        let encoder = TextStreamEncoder(id: "cmpl-1", created: 0, model: "m", includesUsage: false)
        let pieces = encoder.chunks(for: .text("abc")) + encoder.chunks(for: .done(GenerationStats(stopReason: .contextFull)))
        let first = try object(JSONText.encode(pieces[0]))
        #expect(first["object"] as? String == "text_completion")
        #expect(((first["choices"] as? [[String: Any]])?.first?["text"]) as? String == "abc")
        let last = try object(JSONText.encode(pieces[1]))
        #expect(((last["choices"] as? [[String: Any]])?.first?["finish_reason"]) as? String == "length")
    }

    @Test func finishReasonsFollowOpenAI() {
        #expect(finishReason(.endOfSequence) == "stop")
        #expect(finishReason(.stopString("x")) == "stop")
        #expect(finishReason(.maxTokens) == "length")
        #expect(finishReason(.contextFull) == "length")
        #expect(finishReason(.cancelled) == nil)
    }

    @Test func theLogLineHasTheCountsAndTimes() {
        let stats = GenerationStats(promptTokens: 20, cachedTokens: 12, generatedTokens: 8, decodeTokensPerSecond: 15.25,
                                    stopReason: .endOfSequence)
        let record = RequestRecord(id: "chatcmpl-9", endpoint: "/v1/chat/completions", status: 200, streamed: true, stats: stats,
                                   timeToFirstToken: .milliseconds(85), total: .milliseconds(700))
        #expect(record.line == "id=chatcmpl-9 endpoint=/v1/chat/completions status=200 stream=true prompt_tokens=20 "
            + "cached_tokens=12 generated_tokens=8 finish=stop tokens_per_s=15.3 ttft_ms=85 total_ms=700")
    }

    @Test func bearerTokensAreComparedExactly() {
        #expect(BearerToken.matches("Bearer sekrit", key: "sekrit"))
        #expect(!BearerToken.matches("Bearer sekri", key: "sekrit"))
        #expect(!BearerToken.matches("Bearer sekritt", key: "sekrit"))
        #expect(!BearerToken.matches("sekrit", key: "sekrit"))
        #expect(!BearerToken.matches(nil, key: "sekrit"))
        #expect(!BearerToken.matches("Bearer ", key: "sekrit"))
    }
}
