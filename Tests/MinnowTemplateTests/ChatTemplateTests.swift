import Foundation
import MinnowTemplate
import Testing

/// Byte-exact equality with Python jinja2 (Hugging Face's settings) for the chat templates of
/// DeepSeek-R1-Distill-Qwen, Qwen2.5, SmolLM2, Llama 3.1 and a Qwen3-style template over the
/// committed conversations.
@Suite struct ChatTemplateTests {
    @Test func fixturesArePresent() {
        // 5 templates x 8 conversations x with/without the generation prompt.
        #expect(TemplateFixtures.renderings.count == 80)
        #expect(Set(TemplateFixtures.renderings.map(\.template)) == ["r1", "qwen2.5", "smollm2", "llama3.1", "qwen3"])
    }

    @Test(arguments: TemplateFixtures.renderings)
    func rendersLikeJinja2(_ rendering: TemplateFixtures.Rendering) throws {
        let template = try #require(try TemplateFixtures.chatTemplate(rendering.template))
        let conversation = try #require(TemplateFixtures.conversation(rendering.caseName))
        let render = {
            try template.render(messageValues: conversation.messages, addGenerationPrompt: rendering.addGenerationPrompt,
                                tools: conversation.tools, context: conversation.extra)
        }
        if let expected = rendering.expected {
            let output = try render()
            #expect(output.utf8.elementsEqual(expected.utf8), "\(output.debugDescription)\n!=\n\(expected.debugDescription)")
        } else {
            // jinja2 raised (SmolLM2's template concatenates a null content): so must we.
            #expect(throws: TemplateError.self) { try render() }
        }
    }

    @Test func plainMessagesMatchObjectMessages() throws {
        let template = try #require(try TemplateFixtures.chatTemplate("qwen2.5"))
        let messages: [ChatTemplate.Message] = [.system("Be brief."), .user("Hi"), .assistant("Hello!"), .user("Bye")]
        let viaMessages = try template.render(messages: messages)
        let viaValues = try template.render(messageValues: messages.map(\.templateValue))
        #expect(viaMessages == viaValues)
        #expect(viaMessages.hasSuffix("<|im_start|>user\nBye<|im_end|>\n<|im_start|>assistant\n"))
    }

    @Test func r1DropsEarlierThinking() throws {
        let template = try #require(try TemplateFixtures.chatTemplate("r1"))
        let prompt = try template.render(messages: [
            .user("2+2?"), .assistant("<think>\nadd them\n</think>\n\n4"), .user("3+3?"),
        ])
        #expect(!prompt.contains("<think>"))
        #expect(!prompt.contains("add them"))
        #expect(prompt == "<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜>\n\n4<｜end▁of▁sentence｜><｜User｜>3+3?<｜Assistant｜>")
    }

    @Test func extraContextOverridesDefaults() throws {
        let template = try #require(try TemplateFixtures.chatTemplate("llama3.1"))
        let prompt = try template.render(messages: [.user("Hi")], context: ["date_string": "01 Jan 2026"])
        #expect(prompt.contains("Today Date: 01 Jan 2026\n"))
    }
}
