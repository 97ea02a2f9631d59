import Minnow
import MinnowGGUF
import MinnowTemplate
import MinnowTestSupport
import Testing

/// DeepSeek-R1's tool-call format: its choice from the template, the R1 template's rendering of
/// calls and results, the call grammar, and calls streamed by a scripted model.
@Suite(.timeLimit(.minutes(1))) struct DeepSeekToolCallTests {
    static let begin = "<｜tool▁calls▁begin｜>"
    static let end = "<｜tool▁calls▁end｜>"
    static let callBegin = "<｜tool▁call▁begin｜>"
    static let callEnd = "<｜tool▁call▁end｜>"
    static let separator = "<｜tool▁sep｜>"
    static let weather = ToolCall(name: "get_weather", arguments: #"{"city":"Paris"}"#)
    static let sum = ToolCall(name: "add", arguments: #"{"a":2,"b":3}"#)

    /// One call as R1 writes it, between its markers.
    static func call(_ name: String, _ arguments: String) -> String {
        callBegin + "function" + separator + name + "\n```json\n" + arguments + "\n```" + callEnd
    }

    /// A vocabulary with R1's markers as single pieces (a test convenience: in the R1 distills'
    /// vocabulary they are several ordinary tokens each).
    static func codec() -> FakeCodec {
        FakeCodec(extraPieces: [begin, end, callBegin, callEnd, separator, "function", "Checking", "Done", "Sure",
                                begin + "oops"])
    }

    /// The tokens of `text`, markers as pieces.
    static func tokens(_ text: String, _ codec: FakeCodec) throws -> [Int32] {
        try codec.encode(text, parseSpecialTokens: false)
    }

    static func model(_ reply: [Int32], codec: FakeCodec, opensThink: Bool = false) -> Model {
        let runtime = FakeRuntime(vocabularySize: codec.vocabularySize,
                                  script: replyScript(reply, codec: codec, opensThink: opensThink))
        return fakeModel(runtime: runtime, codec: codec,
                         renderer: FakeRenderer(opensThink: opensThink, toolCallFormat: .deepSeekR1))
    }

    static func parameters(_ choice: ToolChoice = .auto) -> GenerationParameters {
        var parameters = GenerationParameters.greedy
        parameters.toolChoice = choice
        return parameters
    }

    // MARK: - The template

    @Test func theFormatIsChosenFromTheTemplateText() {
        #expect(ToolCallFormat(templateSource: "{{'<｜tool▁calls▁begin｜>'}}") == .deepSeekR1)
        #expect(ToolCallFormat(templateSource: "{{'<tool_call>'}}") == .hermes)
        #expect(ToolCallFormat(templateSource: "") == .hermes)
        #expect(fakeModel(runtime: FakeRuntime(vocabularySize: 8, script: { _, n in oneHot(0, n) }),
                          codec: FakeCodec()).toolCallFormat == .hermes)
    }

    /// The R1 distill's own template: calls after `<｜Assistant｜>` in one block (its quirks kept:
    /// a single call's block is not closed, the second call closes it), results in
    /// `<｜tool▁outputs▁begin｜>`, and no generation prompt after a tool's result. The tools are not
    /// rendered by the template, so they come in a system-prompt section.
    @Test(.enabled(if: TestModels.available(TestModels.r1Header)))
    func theR1TemplateRendersCallsAndResultsAsItDoes() throws {
        let url = try #require(TestModels.url(TestModels.r1Header))
        let file = try GGUFFile.open(url, mode: .metadataOnly)
        let renderer = TemplateRenderer(file: file)
        #expect(renderer.toolCallFormat == .deepSeekR1)
        let messages: [ChatMessage] = [
            .system("Be brief."), .user("Weather in Paris, and 2+3?"),
            .assistant("", toolCalls: [Self.weather, Self.sum]),
            .tool(#"{"temperature": 18}"#), .tool("5"),
        ]
        let text = try renderer.render(messages, tools: [], addGenerationPrompt: true)
        let expected = "<｜begin▁of▁sentence｜>Be brief.<｜User｜>Weather in Paris, and 2+3?<｜Assistant｜>" + Self.begin
            + Self.call("get_weather", #"{"city":"Paris"}"#) + "\n" + Self.call("add", #"{"a":2,"b":3}"#)
            + Self.end + "<｜end▁of▁sentence｜>"
            + "<｜tool▁outputs▁begin｜><｜tool▁output▁begin｜>{\"temperature\": 18}<｜tool▁output▁end｜>"
            + "\n<｜tool▁output▁begin｜>5<｜tool▁output▁end｜><｜tool▁outputs▁end｜>"
        #expect(text == expected)

        // The same as the template renders OpenAI-shaped messages (null content, arguments as
        // JSON text) itself.
        let template = try ChatTemplate(gguf: file)
        func function(_ call: ToolCall) -> TemplateValue {
            ["type": "function", "function": ["name": .string(call.name), "arguments": .string(call.arguments)]]
        }
        let direct = try template.render(messageValues: [
            ["role": "system", "content": "Be brief."], ["role": "user", "content": "Weather in Paris, and 2+3?"],
            ["role": "assistant", "content": .null, "tool_calls": [function(Self.weather), function(Self.sum)]],
            ["role": "tool", "content": #"{"temperature": 18}"#], ["role": "tool", "content": "5"],
        ])
        #expect(text == direct)

        // With tools: the template ignores `tools`, so the system message lists them and the format.
        let weather = try ToolCallTests.tools()[0]
        let shown = try renderer.render(messages, tools: [weather], addGenerationPrompt: true)
        #expect(shown.hasPrefix("<｜begin▁of▁sentence｜>Be brief.\n\n# Tools\n"))
        #expect(shown.contains(
            #"{"name":"get_weather","description":"The current weather in a city.","parameters":{"type":"object""#))
        #expect(shown.contains(Self.begin + Self.callBegin + "function" + Self.separator + "NAME\n```json\nARGUMENTS\n```"
                               + Self.callEnd + Self.end))
        #expect(shown.hasSuffix(String(expected.dropFirst("<｜begin▁of▁sentence｜>Be brief.".count))))
        // Without a system message one is added; without tools nothing is.
        let bare = try renderer.render([.user("Hi")], tools: [weather], addGenerationPrompt: true)
        #expect(bare.hasPrefix("<｜begin▁of▁sentence｜># Tools\n") && bare.hasSuffix("<｜User｜>Hi<｜Assistant｜>"))
        #expect(try renderer.render([.user("Hi")], tools: [], addGenerationPrompt: true)
                == "<｜begin▁of▁sentence｜><｜User｜>Hi<｜Assistant｜>")
    }

    /// In the R1 distill's vocabulary DeepSeek's markers are not tokens of their own (Qwen's
    /// `<tool_call>` is): the model writes them in ordinary tokens, and the grammar sees their text.
    @Test(.enabled(if: TestModels.available(TestModels.r1Header)))
    func theR1MarkersAreOrdinaryTextInTheDistillsVocabulary() throws {
        let url = try #require(TestModels.url(TestModels.r1Header))
        let codec = try TokenizerCodec(file: try GGUFFile.open(url, mode: .metadataOnly))
        for marker in [Self.begin, Self.end, Self.callBegin, Self.callEnd, Self.separator] {
            let ids = try codec.encode(marker, parseSpecialTokens: true)
            #expect(ids.count > 1, "\(marker)")
            #expect(String(decoding: ids.flatMap(codec.bytes(of:)), as: UTF8.self) == marker)
        }
        #expect(try codec.encode("<tool_call>", parseSpecialTokens: true).count == 1)
        // The grammar of a block accepts the text those tokens spell.
        let grammar = try ToolCallSyntax(tools: ToolCallTests.tools(), format: .deepSeekR1).grammar
        let text = Self.call("get_weather", #"{"city": "Paris"}"#) + Self.end
        let ids = try codec.encode(text, parseSpecialTokens: true)
        #expect(grammar.matches(String(decoding: ids.flatMap(codec.bytes(of:)), as: UTF8.self)))
    }

    // MARK: - The grammar and parsing

    @Test func theBlockGrammarHoldsNamesAndArgumentsToTheSchemas() throws {
        let syntax = try ToolCallSyntax(tools: ToolCallTests.tools(), format: .deepSeekR1)
        let weather = Self.call("get_weather", #"{"city": "Paris"}"#)
        let add = Self.call("add", #"{"a": 2, "b": -3.5}"#)
        #expect(syntax.grammar.matches(weather + Self.end))
        #expect(syntax.grammar.matches(weather + "\n" + add + Self.end))
        #expect(syntax.grammar.matches(weather + add + "\n" + Self.end))
        // An unknown tool, another tool's arguments, an extra argument, no block closing.
        #expect(!syntax.grammar.matches(Self.call("get_time", #"{"city": "Paris"}"#) + Self.end))
        #expect(!syntax.grammar.matches(Self.call("add", #"{"city": "Paris"}"#) + Self.end))
        #expect(!syntax.grammar.matches(Self.call("get_weather", #"{"city": "Paris", "x": 1}"#) + Self.end))
        #expect(!syntax.grammar.matches(weather))
        #expect(!syntax.grammar.matches(Self.end))
        // One call only, when parallel calls are off.
        #expect(syntax.grammar(parallel: false).matches(weather + Self.end))
        #expect(!syntax.grammar(parallel: false).matches(weather + "\n" + add + Self.end))
    }

    @Test func theForcedGrammarBeginsWithTheBlockAndHoldsANamedTool() throws {
        let tools = try ToolCallTests.tools()
        let weather = Self.begin + Self.call("get_weather", #"{"city": "Paris"}"#) + Self.end
        let add = Self.begin + Self.call("add", #"{"a": 1, "b": 2}"#) + Self.end
        let any = try #require(try ToolUse(tools: tools, parameters: Self.parameters(.required), format: .deepSeekR1)
            .forcedCall)
        #expect(any.matches(weather) && any.matches(add))
        #expect(!any.matches("<tool_call>\n" + #"{"name": "add", "arguments": {"a": 1, "b": 2}}"# + "\n</tool_call>"))
        let named = try #require(
            try ToolUse(tools: tools, parameters: Self.parameters(.function("add")), format: .deepSeekR1).forcedCall)
        #expect(named.matches(add) && !named.matches(weather))
    }

    @Test func callsParseFromTheirMarkedText() {
        func parse(_ body: String) -> ToolCall? { ToolCallSyntax.parseCall(body, format: .deepSeekR1) }
        #expect(parse("function" + Self.separator + "add\n```json\n{\"a\": 2, \"b\": 3}\n```") == Self.sum)
        #expect(parse("function" + Self.separator + "add\n{\"a\":2,\"b\":3}") == Self.sum)
        #expect(parse("function" + Self.separator + "add\n```json\n[1]\n```") == nil)
        #expect(parse("function" + Self.separator + "add\n```json\n{bad\n```") == nil)
        #expect(parse("add\n```json\n{}\n```") == nil)
        #expect(parse("function" + Self.separator + "\n{}") == nil)
    }

    // MARK: - Streamed calls

    @Test func aCallInTheStreamIsAnEventAndNotAnswerText() async throws {
        let codec = Self.codec()
        let reply = try Self.tokens("Checking." + Self.begin + Self.call("get_weather", #"{"city": "Paris"}"#) + Self.end,
                                    codec)
        let chat = ChatSession(model: Self.model(reply, codec: codec), tools: try ToolCallTests.tools())
        let collected = try await collect(chat.stream("Weather in Paris?", parameters: Self.parameters()))
        #expect(collected.toolCalls == [Self.weather])
        #expect(collected.text == "Checking.")
        #expect(collected.stats?.stopReason == .endOfSequence)
        #expect(await chat.transcript.last == .assistant("Checking.", toolCalls: [Self.weather]))
    }

    @Test func twoCallsInOneBlockAreTwoEvents() async throws {
        let codec = Self.codec()
        let block = Self.begin + Self.call("get_weather", #"{"city": "Paris"}"#) + "\n"
            + Self.call("add", #"{"a": 2, "b": 3}"#) + Self.end
        let model = Self.model(try Self.tokens(block + "Done", codec), codec: codec)
        let reply = try await ChatSession(model: model, tools: try ToolCallTests.tools())
            .respond(to: "Weather, and 2+3?", parameters: Self.parameters())
        #expect(reply.toolCalls == [Self.weather, Self.sum])
        #expect(reply.answer == "Done")

        // Without parallel calls the block holds one call, is closed, and generation ends.
        var parameters = Self.parameters()
        parameters.parallelToolCalls = false
        let one = try await ChatSession(model: model, tools: try ToolCallTests.tools())
            .respond(to: "Weather, and 2+3?", parameters: parameters)
        #expect(one.toolCalls == [Self.weather])
        #expect(one.answer.isEmpty)
        #expect(one.stats.stopReason == .endOfSequence)
    }

    /// A call that does not read (here its opening token also carries other text, so the grammar
    /// is not applied, and its arguments are not JSON) stays answer text, markers and all.
    @Test func aMalformedCallStaysText() async throws {
        let codec = Self.codec()
        let block = Self.begin + "oops" + Self.call("get_weather", "{bad") + Self.end
        let chat = ChatSession(model: Self.model(try Self.tokens(block + "Done", codec), codec: codec),
                               tools: try ToolCallTests.tools())
        let reply = try await chat.respond(to: "Weather?", parameters: Self.parameters())
        #expect(reply.toolCalls.isEmpty)
        #expect(reply.answer == block + "Done")

        // A block cut by the token limit is text too.
        var parameters = Self.parameters()
        parameters.maxTokens = 4
        let cut = try await ChatSession(
            model: Self.model(try Self.tokens(Self.begin + Self.call("add", #"{"a": 2, "b": 3}"#) + Self.end, codec),
                              codec: codec),
            tools: try ToolCallTests.tools()).respond(to: "2+3?", parameters: parameters)
        #expect(cut.toolCalls.isEmpty)
        #expect(cut.answer == Self.begin + Self.callBegin + "function" + Self.separator)
    }

    /// Calls are looked for in the answer only: a call written while reasoning is reasoning text.
    @Test func callsAreRecognizedAfterTheReasoningOnly() async throws {
        let codec = Self.codec()
        let call = Self.begin + Self.call("get_weather", #"{"city": "Paris"}"#) + Self.end
        let reply = try Self.tokens("I will call " + call + "\n</think>\n\n" + call, codec)
        let chat = ChatSession(model: Self.model(reply, codec: codec, opensThink: true), tools: try ToolCallTests.tools())
        var parameters = Self.parameters()
        parameters.reasoning.isVisible = true
        let collected = try await collect(chat.stream("Weather?", parameters: parameters))
        #expect(collected.reasoning.contains(call))
        #expect(collected.toolCalls == [Self.weather])
        #expect(collected.text.isEmpty)
    }

    /// A model that would rather chat (its first choice is `Sure`, its second the block's
    /// opening) makes an R1-format call under `.required`, on a chat and in a batch.
    @Test func aRequiredCallIsAnR1Call() async throws {
        let codec = Self.codec()
        let call = try Self.tokens(Self.begin + Self.call("get_weather", #"{"city": "Paris"}"#) + Self.end, codec)
        let model = ToolChoiceTests.reluctantModel(
            call: call, codec: codec, renderer: FakeRenderer(toolCallFormat: .deepSeekR1))
        #expect(model.toolCallFormat == .deepSeekR1)
        let free = try await ChatSession(model: model, tools: try ToolCallTests.tools())
            .respond(to: "Weather?", parameters: Self.parameters(.auto))
        #expect(free.toolCalls.isEmpty && free.answer.hasPrefix("Sure"))
        for choice in [ToolChoice.required, .function("get_weather")] {
            let reply = try await ChatSession(model: model, tools: try ToolCallTests.tools())
                .respond(to: "Weather?", parameters: Self.parameters(choice))
            #expect(reply.toolCalls == [Self.weather])
            #expect(reply.answer.isEmpty)
            #expect(reply.stats.stopReason == .endOfSequence)
        }
        let batch = BatchGenerator(model: model, maxSequences: 1)
        let batched = try await batch.respond(to: [.user("Weather?")], tools: try ToolCallTests.tools(),
                                              parameters: Self.parameters(.required))
        #expect(batched.toolCalls == [Self.weather] && batched.answer.isEmpty)
    }
}
