import Foundation
import MinnowTemplate
import MinnowTestSupport
import Testing

/// The reference renderings of `Scripts/make-template-fixtures.py` (Python jinja2 with
/// Hugging Face's settings), under `Tests/Fixtures/templates`.
enum TemplateFixtures {
    static let folder = TestModels.fixtures.appendingPathComponent("templates")

    static func json(_ name: String) -> TemplateValue {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path),
              let value = try? TemplateValue(jsonBytes: Array(data)) else {
            return .null
        }
        return value
    }

    static func text(_ name: String) -> String? {
        FileManager.default.contents(atPath: folder.appendingPathComponent(name).path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// One rendering of a conversation with a model's template.
    struct Rendering: Sendable, CustomTestStringConvertible {
        var template: String
        var caseName: String
        var addGenerationPrompt: Bool
        var expected: String?
        var testDescription: String { "\(template)/\(caseName)/\(addGenerationPrompt ? "prompt" : "no-prompt")" }
    }

    /// One small template exercising a single feature.
    struct Feature: Sendable, CustomTestStringConvertible {
        var name: String
        var source: String
        var context: [String: TemplateValue]
        var expected: String?
        var errorKind: String?
        var errorLine: Int?
        var testDescription: String { name }
    }

    static let renderings: [Rendering] = {
        guard case .array(let entries) = json("expected.json") else { return [] }
        return entries.compactMap { entry in
            guard case .string(let template)? = entry["template"], case .string(let caseName)? = entry["case"],
                  case .bool(let prompt)? = entry["add_generation_prompt"] else { return nil }
            var expected: String?
            if case .string(let output)? = entry["output"] { expected = output }
            return Rendering(template: template, caseName: caseName, addGenerationPrompt: prompt, expected: expected)
        }
    }()

    static let features: [Feature] = {
        guard case .array(let entries) = json("features.json") else { return [] }
        return entries.compactMap { entry in
            guard case .string(let name)? = entry["name"], case .string(let source)? = entry["template"] else { return nil }
            var context: [String: TemplateValue] = [:]
            if case .object(let map)? = entry["context"] {
                for (key, value) in map.entries { context[key] = value }
            }
            var feature = Feature(name: name, source: source, context: context)
            if case .string(let output)? = entry["output"] { feature.expected = output }
            if case .string(let kind)? = entry["error"] { feature.errorKind = kind }
            if case .int(let line)? = entry["line"] { feature.errorLine = line }
            return feature
        }
    }()

    /// The conversation `name` from cases.json: its messages, tools and extra context.
    static func conversation(_ name: String) -> (messages: [TemplateValue], tools: [TemplateValue]?, extra: [String: TemplateValue])? {
        guard case .array(let cases) = json("cases.json") else { return nil }
        for entry in cases where entry["name"] == .string(name) {
            guard case .array(let messages)? = entry["messages"] else { return nil }
            var tools: [TemplateValue]?
            if case .array(let list)? = entry["tools"] { tools = list }
            var extra: [String: TemplateValue] = [:]
            if case .object(let map)? = entry["extra"] {
                for (key, value) in map.entries { extra[key] = value }
            }
            return (messages, tools, extra)
        }
        return nil
    }

    /// The chat template `name` with its bos/eos tokens, from templates.json.
    static func chatTemplate(_ name: String) throws -> ChatTemplate? {
        guard case .string(let file)? = json("templates.json")[name]?["file"], let source = text(file),
              case .string(let bos)? = json("templates.json")[name]?["bos_token"],
              case .string(let eos)? = json("templates.json")[name]?["eos_token"] else { return nil }
        return try ChatTemplate(source: source, bosToken: bos, eosToken: eos)
    }
}
