import Foundation
import MinnowGGUF
import MinnowTemplate
import MinnowTestSupport
import Testing

/// Reading `tokenizer.chat_template` and the bos/eos token texts from the real GGUF files.
@Suite struct GGUFTemplateTests {
    static let models: [(fixture: String, file: String)] = [
        ("r1", TestModels.r1Header), ("qwen2.5", TestModels.qwen05), ("smollm2", TestModels.smolLM2),
    ]

    @Test(arguments: 0..<3)
    func templateFromGGUFMatchesTheFixture(_ index: Int) throws {
        let (fixture, name) = Self.models[index]
        guard TestModels.available(name) else { return }
        let url = try #require(TestModels.url(name), "missing model \(name)")
        let file = try GGUFFile.open(url, mode: .metadataOnly)
        let fromFile = try ChatTemplate(gguf: file)
        let committed = try #require(try TemplateFixtures.chatTemplate(fixture))
        #expect(fromFile.source.utf8.elementsEqual(committed.source.utf8))
        #expect(fromFile.bosToken == committed.bosToken)
        #expect(fromFile.eosToken == committed.eosToken)
        let conversation: [ChatTemplate.Message] = [.system("S"), .user("U"), .assistant("A"), .user("V")]
        #expect(try fromFile.render(messages: conversation) == committed.render(messages: conversation))
    }

    @Test func r1HeaderNamesItsSentenceTokens() throws {
        guard TestModels.available(TestModels.r1Header) else { return }
        let url = try #require(TestModels.url(TestModels.r1Header))
        let template = try ChatTemplate(gguf: try GGUFFile.open(url, mode: .metadataOnly))
        #expect(template.bosToken == "<｜begin▁of▁sentence｜>")
        #expect(template.eosToken == "<｜end▁of▁sentence｜>")
    }

    @Test func missingTemplateIsATypedError() {
        let metadata = GGUFMetadata([(key: "general.architecture", value: .string("llama"))])
        #expect(throws: ChatTemplateLoadError.noChatTemplate) { try ChatTemplate(metadata: metadata) }
    }

    @Test func brokenTemplateIsATypedError() {
        let metadata = GGUFMetadata([(key: "tokenizer.chat_template", value: .string("ok\n{% if %}"))])
        do {
            _ = try ChatTemplate(metadata: metadata)
            Issue.record("expected an error")
        } catch {
            guard case .invalidTemplate(let inner) = error else { Issue.record("wrong error \(error)"); return }
            #expect(inner.kind == .syntax)
            #expect(inner.line == 2)
        }
    }

    @Test func tokensWithoutIdsGiveEmptyStrings() throws {
        let metadata = GGUFMetadata([(key: "tokenizer.chat_template", value: .string("[{{ bos_token }}|{{ eos_token }}]"))])
        #expect(try ChatTemplate(metadata: metadata).render(messages: []) == "[|]")
    }
}
