import ChatREPLKit
import Foundation
import Minnow
import Testing

@Suite struct ChatInputTests {
    @Test func parsesMessagesAndCommands() {
        #expect(ChatInput(parsing: "  hello there ") == .message("hello there"))
        #expect(ChatInput(parsing: "   ") == .empty)
        #expect(ChatInput(parsing: "//etc/passwd") == .message("/etc/passwd"))
        #expect(ChatInput(parsing: "/help") == .command(.help))
        #expect(ChatInput(parsing: "/quit") == .command(.quit))
        #expect(ChatInput(parsing: "/reset") == .command(.reset))
        #expect(ChatInput(parsing: "/stats") == .command(.stats))
        #expect(ChatInput(parsing: "/system Be terse.") == .command(.system("Be terse.")))
        #expect(ChatInput(parsing: "/system") == .command(.showSystem))
        #expect(ChatInput(parsing: "/think on") == .command(.think(.on)))
        #expect(ChatInput(parsing: "/think OFF") == .command(.think(.off)))
        #expect(ChatInput(parsing: "/think budget 128") == .command(.think(.budget(128))))
        #expect(ChatInput(parsing: "/json") == .command(.json(true)))
        #expect(ChatInput(parsing: "/json off") == .command(.json(false)))
        #expect(ChatInput(parsing: "/json maybe") == .invalid("usage: /json on|off"))
        #expect(ChatInput(parsing: "/save chat.json") == .command(.save("chat.json")))
        #expect(ChatInput(parsing: "/load ~/chat.json") == .command(.load("~/chat.json")))
    }

    @Test func badCommandsAreExplainedNotRun() {
        for line in ["/think budget -3", "/think budget x", "/think maybe", "/save", "/load", "/frobnicate"] {
            guard case .invalid(let why) = ChatInput(parsing: line) else {
                Issue.record("\(line) should be invalid")
                continue
            }
            #expect(!why.isEmpty)
        }
        #expect(ThinkSetting.off.thinkingBudget == 0)
        #expect(ThinkSetting.on.thinkingBudget == nil)
    }
}

@Suite(.timeLimit(.minutes(1))) struct ChatREPLTests {
    func repl(_ model: Model, reasoning: ReasoningDisplay = .show, output: CollectingOutput) -> ChatREPL {
        ChatREPL(model: model, instructions: "Be brief.", parameters: .greedy,
                 options: .init(reasoning: reasoning, style: TextStyle(enabled: false), interactive: false),
                 output: output, notices: output)
    }

    @Test func answersRunsCommandsAndStopsAtQuit() async throws {
        let model = scriptedModel { user in "You said: \(user)" }
        let output = CollectingOutput()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chat-\(UUID().uuidString).json")
        let lines = ["Hello", "/stats", "/think budget 5", "/save \(file.path)", "/reset", "/load \(file.path)",
                     "Again", "/quit", "never read"]
        let status = await repl(model, output: output).run(AsyncStream { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        })
        #expect(status == 0)
        let text = output.text
        #expect(text.contains("You said: Hello\n"))
        #expect(text.contains("last answer:"))
        #expect(text.contains("reasoning budget: 5 tokens"))
        #expect(text.contains("(saved 3 messages"))
        #expect(text.contains("(loaded 3 messages"))
        #expect(text.contains("You said: Again\n"))
        #expect(!text.contains("never read"))
        let saved = try TranscriptFile.read(from: file)
        #expect(saved.messages == [.system("Be brief."), .user("Hello"), .assistant("You said: Hello")])
    }

    @Test func aLoadedConversationContinues() async throws {
        let model = scriptedModel { user in "ok \(user.count)" }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("chat-\(UUID().uuidString).json")
        try TranscriptFile(model: "x", messages: [.system("S"), .user("a"), .assistant("b")]).write(to: file)
        let output = CollectingOutput()
        let chat = repl(model, output: output)
        _ = await chat.handle("/load \(file.path)")
        _ = await chat.handle("four")
        let transcript = await chat.transcript
        #expect(transcript == [.system("S"), .user("a"), .assistant("b"), .user("four"), .assistant("ok 4")])
    }

    @Test func reasoningIsShownOrHidden() async throws {
        let model = scriptedModel { _ in "<think>pondering</think>The answer." }
        let shown = CollectingOutput()
        _ = await repl(model, reasoning: .show, output: shown).handle("q")
        #expect(shown.text.contains("<think>\npondering\n</think>\nThe answer.\n"))
        let hidden = CollectingOutput()
        _ = await repl(model, reasoning: .hide, output: hidden).handle("q")
        #expect(hidden.text == "The answer.\n")
        let dimmed = CollectingOutput()
        let dimREPL = ChatREPL(model: model, instructions: nil, parameters: .greedy,
                               options: .init(reasoning: .dim, style: TextStyle(enabled: true), interactive: false),
                               output: dimmed, notices: dimmed)
        _ = await dimREPL.handle("q")
        #expect(dimmed.text.contains("\u{1B}[2mpondering\u{1B}[0m"))
        #expect(dimmed.text.hasSuffix("The answer.\n"))
    }

    @Test func interruptStopsTheAnswerAndTheNextQuestionIsAnswered() async throws {
        // 2 ms per token, 5000 tokens: about 10 s unless stopped.
        let model = scriptedModel(capacity: 8192, delayMicroseconds: 2000) { user in
            user == "long" ? String(repeating: "blah ", count: 1000) : "short answer"
        }
        let output = CollectingOutput()
        let chat = repl(model, output: output)
        let started = ContinuousClock.now
        let long = Task { await chat.handle("long") }
        while !output.text.contains("blah blah") { try await Task.sleep(for: .milliseconds(5)) }
        chat.interrupt()
        _ = await long.value
        // Unstopped, the answer would run 5000 tokens. Wall-clock time is not asserted (a full
        // parallel test run on 2 cores measured 12 s here); the stop is shown by the
        // "[stopped]" marker and by the answer being cut short.
        _ = started
        #expect(!output.text.contains(String(repeating: "blah ", count: 1000)))
        #expect(output.text.contains("[stopped]"))
        _ = await chat.handle("next")
        #expect(output.text.hasSuffix("short answer\n"))
        let stats = await chat.statsText()
        #expect(stats.contains("last answer:"))
    }

    @Test func interruptWhileIdleIsHarmless() async {
        let output = CollectingOutput()
        let chat = repl(scriptedModel { _ in "fine" }, output: output)
        chat.interrupt()
        _ = await chat.handle("hi")
        #expect(output.text.hasSuffix("fine\n"))
    }
}
