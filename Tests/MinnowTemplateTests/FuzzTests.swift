import Foundation
import MinnowTemplate
import Testing

/// Seeded mutation fuzzing of the real chat templates and of the hostile ones that grow a value
/// by concatenation: every mutant either renders or throws a `TemplateError`; none may crash,
/// hang, trap or exhaust memory.
@Suite struct FuzzTests {
    /// A small deterministic generator (SplitMix64), so that failures reproduce.
    struct SplitMix64: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "{%", "%}", "{{", "}}", "{#", "#}", "-", "+", "(", ")", "[", "]", "{", "}", "'", "\"", "|", ".", ",", ":",
        " if ", " endif ", " for ", " endfor ", " else ", " not ", " in ", " is ", " and ", " or ", "~", "*", "**",
        "\n", " ", "\\", "loop.", "ns.", "messages", "[::-1]", "[-1]", " set x = ", " macro m() ", " endmacro ",
        "raise_exception('x')", "range(99999)", "| tojson", "| join", "é", "😀", "\r\n",
    ]

    static func mutate(_ source: String, _ random: inout SplitMix64) -> String {
        var scalars = Array(source.unicodeScalars)
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let position = scalars.isEmpty ? 0 : Int.random(in: 0...scalars.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !scalars.isEmpty:
                let end = min(scalars.count, position + Int.random(in: 1...12, using: &random))
                if position < end { scalars.removeSubrange(position..<end) }
            case 1 where !scalars.isEmpty:
                let start = Int.random(in: 0..<scalars.count, using: &random)
                let end = min(scalars.count, start + Int.random(in: 1...40, using: &random))
                scalars.insert(contentsOf: scalars[start..<end], at: position)
            default:
                let fragment = fragments.randomElement(using: &random) ?? "{"
                scalars.insert(contentsOf: fragment.unicodeScalars, at: position)
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    @Test func mutatedTemplatesRenderOrThrow() throws {
        let real = ["r1.jinja", "qwen2.5.jinja", "smollm2.jinja", "llama3.1.jinja", "qwen3.jinja"].compactMap(TemplateFixtures.text)
        try #require(real.count == 5)
        let sources = real + HostileTemplates.all.map(\.source)
        let conversation = try #require(TemplateFixtures.conversation("tool-call"))
        let context: [String: TemplateValue] = [
            "messages": .array(conversation.messages), "tools": .array(conversation.tools ?? []),
            "add_generation_prompt": true, "bos_token": "<s>", "eos_token": "</s>",
        ]
        let limits = RenderLimits(maximumSteps: 20_000, maximumOutputBytes: 1 << 20, maximumCallDepth: 16,
                                  maximumValueBytes: 1 << 20, maximumBuiltBytes: 16 << 20)
        var random = SplitMix64(state: 0x5EED)
        var rendered = 0
        var failures: [TemplateError.Kind: Int] = [:]
        for index in 0..<1200 {
            let mutant = Self.mutate(sources[index % sources.count], &random)
            do {
                _ = try JinjaTemplate(mutant).render(context, limits: limits)
                rendered += 1
            } catch {
                failures[error.kind, default: 0] += 1
                #expect(error.line >= 0)
            }
        }
        // Both outcomes must occur, or the mutations test nothing.
        #expect(rendered > 50)
        #expect((failures[.syntax] ?? 0) > 50)
    }
}
