import Foundation
import MinnowTemplate

/// Arbitrary bytes as a chat template and a conversation: the text before the first NUL byte is
/// the template; the rest is the messages, as JSON (an array of message objects) when it parses,
/// otherwise as plain user and assistant contents separated by NUL bytes.
///
/// Every input must parse and render, or throw a ``TemplateError``; the output must respect the
/// limits. The limits are smaller than the defaults (the same checks, reached sooner), so that no
/// input runs for long; `Tests/MinnowTemplateTests/GrowthLimitTests` covers the defaults.
enum TemplateFuzzTarget {
    static let limits = RenderLimits(maximumSteps: 20_000, maximumOutputBytes: 1 << 20, maximumCallDepth: 16,
                                     maximumValueBytes: 1 << 20, maximumBuiltBytes: 16 << 20)

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let split = bytes.firstIndex(of: 0) ?? bytes.count
        let source = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<split]), as: UTF8.self)
        let rest = split < bytes.count ? Array(bytes[(split + 1)...]) : []
        guard let template = try? ChatTemplate(source: source, bosToken: "<s>", eosToken: "</s>") else { return }
        let output: String
        do {
            output = try template.render(
                messageValues: messages(rest), addGenerationPrompt: rest.count % 2 == 0,
                tools: rest.count % 3 == 0 ? [["type": "function", "function": ["name": "f"]]] : nil,
                now: Date(timeIntervalSince1970: 1_700_000_000), limits: limits)
        } catch {
            return
        }
        require(output.utf8.count <= limits.maximumOutputBytes, "the output is larger than the limit")
    }

    /// The conversation encoded in `bytes`.
    static func messages(_ bytes: [UInt8]) -> [TemplateValue] {
        if let value = try? TemplateValue(jsonBytes: bytes), case .array(let items) = value { return items }
        let parts = bytes.split(separator: 0, omittingEmptySubsequences: false)
        return parts.enumerated().map { index, part in
            let role: TemplateValue = index % 2 == 0 ? "user" : "assistant"
            return .object(OrderedMap([("role", role), ("content", .string(String(decoding: part, as: UTF8.self)))]))
        }
    }
}
