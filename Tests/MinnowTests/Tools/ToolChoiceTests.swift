import Minnow
import MinnowEngine
import Testing

/// `GenerationParameters.toolChoice` and `parallelToolCalls` with a scripted model, on a
/// `ChatSession` and on a `BatchGenerator`.
@Suite(.timeLimit(.minutes(1))) struct ToolChoiceTests {
    static let weatherCall = "\n" + #"{"name": "get_weather", "arguments": {"city": "Paris"}}"# + "\n"
    static let expected = ToolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#)

    /// A vocabulary with the call tags as single tokens, as Qwen2.5's.
    static func codec() -> FakeCodec {
        FakeCodec(extraPieces: ["<tool_call>", "</tool_call>", "Sure", "Done"])
    }

    /// The tokens of a tagged call to the weather tool.
    static func callTokens(_ codec: FakeCodec) throws -> [Int32] {
        codec.ids(["<tool_call>"]) + (try codec.encode(weatherCall, parseSpecialTokens: false)) + codec.ids(["</tool_call>"])
    }

    /// A model that would rather chat: its first choice is `Sure` (then the call's body without
    /// the opening tag), its second `<tool_call>`. Left alone it never makes a call; a required
    /// call makes it write the tag, and it goes on with the call it had in mind.
    static func reluctantModel() throws -> Model {
        let codec = codec()
        return reluctantModel(call: try callTokens(codec), codec: codec)
    }

    /// The reluctant model of `codec` (with a `Sure` piece) whose call is `call`, shown through
    /// `renderer`.
    static func reluctantModel(call: [Int32], codec: FakeCodec, renderer: FakeRenderer = FakeRenderer()) -> Model {
        let header = codec.ids(["<|im_start|>", "a", "s", "s", "i", "s", "t", "a", "n", "t", "\n"])
        let sure = codec.id("Sure"), end = codec.id("<|im_end|>")
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize, script: { context, size in
            let generated = tokensAfterLast(header, in: context)
            guard generated > 0 else {
                var logits = oneHot(sure, size)
                logits[Int(call[0])] = 5
                return logits
            }
            return oneHot(generated < call.count ? call[generated] : end, size)
        })
        return fakeModel(runtime: runtime, codec: codec, renderer: renderer)
    }

    /// A model that writes `text` pieces, then `<|im_end|>`.
    static func scriptedModel(_ reply: [Int32], codec: FakeCodec) -> Model {
        fakeModel(runtime: FakeRuntime(vocabularySize: codec.vocabularySize, script: replyScript(reply, codec: codec)),
                  codec: codec)
    }

    static func parameters(_ choice: ToolChoice) -> GenerationParameters {
        var parameters = GenerationParameters.greedy
        parameters.toolChoice = choice
        return parameters
    }

    @Test func autoLetsTheModelAnswerInProse() async throws {
        let chat = ChatSession(model: try Self.reluctantModel(), tools: try ToolCallTests.tools())
        let reply = try await chat.respond(to: "Weather in Paris?", parameters: Self.parameters(.auto))
        #expect(reply.toolCalls.isEmpty)
        #expect(reply.answer.hasPrefix("Sure\n{"))
    }

    @Test(arguments: [ToolChoice.required, .function("get_weather")])
    func aRequiredCallIsMadeFromTheFirstToken(choice: ToolChoice) async throws {
        let chat = ChatSession(model: try Self.reluctantModel(), tools: try ToolCallTests.tools())
        let reply = try await chat.respond(to: "Weather in Paris?", parameters: Self.parameters(choice))
        #expect(reply.toolCalls == [Self.expected])
        #expect(reply.answer.isEmpty)
        // After the call, generation went on unconstrained and the model ended its turn.
        #expect(reply.stats.stopReason == .endOfSequence)
        #expect(await chat.transcript.last == .assistant("", toolCalls: [Self.expected]))
    }

    @Test func noneNeitherShowsNorScansTheTools() async throws {
        let codec = Self.codec()
        let chat = ChatSession(model: Self.scriptedModel(try Self.callTokens(codec), codec: codec),
                               tools: try ToolCallTests.tools())
        let reply = try await chat.respond(to: "Weather in Paris?", parameters: Self.parameters(.none))
        #expect(reply.toolCalls.isEmpty)
        #expect(reply.answer == "<tool_call>" + Self.weatherCall + "</tool_call>")
    }

    @Test func withoutParallelCallsGenerationEndsAfterTheFirst() async throws {
        let codec = Self.codec()
        let call = try Self.callTokens(codec)
        let model = Self.scriptedModel(call + call + codec.ids(["Done"]), codec: codec)
        let chat = ChatSession(model: model, tools: try ToolCallTests.tools())
        let both = try await chat.respond(to: "Weather?", parameters: Self.parameters(.auto))
        #expect(both.toolCalls == [Self.expected, Self.expected])
        #expect(both.answer == "Done")

        var parameters = Self.parameters(.auto)
        parameters.parallelToolCalls = false
        let one = try await ChatSession(model: model, tools: try ToolCallTests.tools())
            .respond(to: "Weather?", parameters: parameters)
        #expect(one.toolCalls == [Self.expected])
        #expect(one.answer.isEmpty)
        #expect(one.stats.stopReason == .endOfSequence)
        #expect(one.stats.generatedTokens == call.count)
    }

    @Test func choicesThatCannotApplyAreTypedErrors() async throws {
        let tools = try ToolCallTests.tools()
        let chat = ChatSession(model: try Self.reluctantModel(), tools: tools)
        await #expect(throws: ToolChoiceError.unknownTool("get_time")) {
            try await chat.respond(to: "Hi", parameters: Self.parameters(.function("get_time")))
        }
        let bare = ChatSession(model: try Self.reluctantModel())
        await #expect(throws: ToolChoiceError.noTools) {
            try await bare.respond(to: "Hi", parameters: Self.parameters(.required))
        }
        var constrained = Self.parameters(.required)
        constrained.constraint = .json
        await #expect(throws: ToolChoiceError.conflictsWithConstraint) {
            try await chat.respond(to: "Hi", parameters: constrained)
        }
        // The session is still usable.
        #expect(try await chat.respond(to: "Hi", parameters: Self.parameters(.required)).toolCalls == [Self.expected])
    }

    @Test func theForcedGrammarBeginsWithTheTagAndHoldsANamedToolToItsName() throws {
        let tools = try ToolCallTests.tools()
        let weather = "<tool_call>" + Self.weatherCall + "</tool_call>"
        let add = "<tool_call>\n" + #"{"name": "add", "arguments": {"a": 1, "b": 2}}"# + "\n</tool_call>"
        let any = try #require(try ToolUse(tools: tools, parameters: Self.parameters(.required)).forcedCall)
        #expect(any.matches(weather) && any.matches(add))
        #expect(!any.matches(Self.weatherCall + "</tool_call>"))
        let named = try #require(try ToolUse(tools: tools, parameters: Self.parameters(.function("add"))).forcedCall)
        #expect(named.matches(add) && !named.matches(weather))
        let auto = try ToolUse(tools: tools, parameters: Self.parameters(.auto))
        #expect(auto.forcedCall == nil && auto.syntax != nil && auto.shownTools == tools)
        let none = try ToolUse(tools: tools, parameters: Self.parameters(.none))
        #expect(none.forcedCall == nil && none.syntax == nil && none.shownTools.isEmpty)
    }

    @Test func batchCallsMakeToolCallsAsAChatDoes() async throws {
        let tools = try ToolCallTests.tools()
        let batch = BatchGenerator(model: try Self.reluctantModel(), maxSequences: 2)
        let messages: [ChatMessage] = [.user("Weather in Paris?")]
        async let forced = batch.respond(to: messages, tools: tools, parameters: Self.parameters(.required))
        async let free = batch.respond(to: messages, tools: tools, parameters: Self.parameters(.auto))
        let (required, auto) = try await (forced, free)
        #expect(required.toolCalls == [Self.expected])
        #expect(required.answer.isEmpty)
        #expect(auto.toolCalls.isEmpty && auto.answer.hasPrefix("Sure"))
        // The old signature takes no tools: nothing is scanned, and a required call is an error.
        #expect(try await batch.respond(to: messages, parameters: .greedy).toolCalls.isEmpty)
        await #expect(throws: ToolChoiceError.noTools) {
            try await batch.respond(to: messages, parameters: Self.parameters(.required))
        }
        await #expect(throws: ToolChoiceError.unknownTool("nope")) {
            try await batch.respond(to: messages, tools: tools, parameters: Self.parameters(.function("nope")))
        }
    }

    @Test func aBatchCallStreamsATaggedCall() async throws {
        let codec = Self.codec()
        let batch = BatchGenerator(model: Self.scriptedModel(try Self.callTokens(codec), codec: codec), maxSequences: 1)
        let collected = try await collect(batch.generate(
            messages: [.user("Weather?")], tools: try ToolCallTests.tools(), parameters: .greedy))
        #expect(collected.toolCalls == [Self.expected])
        #expect(collected.text.isEmpty)
        #expect(collected.stats?.stopReason == .endOfSequence)
    }
}
