import Foundation
import Minnow

/// `minnow bench --draft`: greedy answers to chat prompts with and without speculative decoding,
/// alternating, through the public API. Reports whether the answers are identical, the
/// acceptance rate, and decode tokens/s of both.
struct SpeculativeBench {
    /// Four code and four prose prompts (written for this benchmark).
    static let defaultPrompts = [
        "Write a Python function that parses a CSV file and returns the average of its second column.",
        "Write a Swift struct for a 2D vector with addition, scaling and a dot product, and a short test.",
        "Implement binary search in C over a sorted int array, returning -1 when the value is missing.",
        "Write a JavaScript function that debounces another function, with a doc comment.",
        "Explain in a few paragraphs why the sky looks blue during the day and red at sunset.",
        "Describe the water cycle for a ten-year-old, step by step.",
        "Write a short story about a lighthouse keeper who finds a message in a bottle.",
        "Give advice to someone preparing for their first long-distance bicycle trip.",
    ]

    let target: Model
    let speculation: SpeculativeDecoding
    let prompts: [String]
    let tokens: Int
    let repetitions: Int
    let system: String?

    /// One prompt's outcome.
    struct Row {
        var prompt: String
        var identical = true
        var plainRates: [Double] = []
        var draftRates: [Double] = []
        var drafted = 0
        var accepted = 0
        var generated = 0
    }

    func run(note: (String) -> Void) async throws -> [Row] {
        var plain = GenerationParameters.greedy
        plain.maxTokens = tokens
        var speculative = plain
        speculative.speculation = speculation
        var rows: [Row] = []
        for (index, prompt) in prompts.enumerated() {
            var row = Row(prompt: prompt)
            for repetition in 0..<repetitions {
                // Alternate which goes first, so that a change in machine load hits both.
                let order = (index + repetition) % 2 == 0 ? [false, true] : [true, false]
                var answers: [Bool: (String, GenerationStats)] = [:]
                for withDraft in order {
                    let chat = ChatSession(model: target, instructions: system,
                                           parameters: withDraft ? speculative : plain)
                    let reply = try await chat.respond(to: prompt)
                    answers[withDraft] = (reply.answer, reply.stats)
                    if withDraft {
                        row.draftRates.append(reply.stats.decodeTokensPerSecond)
                        row.drafted += reply.stats.draftedTokens
                        row.accepted += reply.stats.acceptedDraftTokens
                    } else {
                        row.plainRates.append(reply.stats.decodeTokensPerSecond)
                        row.generated = reply.stats.generatedTokens
                    }
                }
                if let a = answers[false], let b = answers[true] {
                    if a.0 != b.0 || a.1.generatedTokens != b.1.generatedTokens { row.identical = false }
                }
                note(String(format: "prompt %d #%d: plain %.2f t/s, draft %.2f t/s, accepted %d/%d, %@", index + 1,
                            repetition + 1, row.plainRates.last ?? 0, row.draftRates.last ?? 0,
                            answers[true]?.1.acceptedDraftTokens ?? 0, answers[true]?.1.draftedTokens ?? 0,
                            row.identical ? "identical" : "DIFFERENT"))
            }
            rows.append(row)
        }
        return rows
    }

    /// A text table of the rows and their totals.
    static func table(_ rows: [Row]) -> String {
        func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
        var lines = ["| prompt | tokens | identical | accepted/drafted | tg t/s alone | tg t/s draft | speedup |",
                     "|---|---:|---|---:|---:|---:|---:|"]
        for (index, row) in rows.enumerated() {
            let alone = mean(row.plainRates), draft = mean(row.draftRates)
            lines.append(String(format: "| %d %@ | %d | %@ | %d/%d (%.0f%%) | %.2f | %.2f | %.2fx |", index + 1,
                                String(row.prompt.prefix(32)) + "…", row.generated, row.identical ? "yes" : "NO",
                                row.accepted, row.drafted,
                                row.drafted > 0 ? 100 * Double(row.accepted) / Double(row.drafted) : 0,
                                alone, draft, alone > 0 ? draft / alone : 0))
        }
        let alone = mean(rows.map { mean($0.plainRates) }), draft = mean(rows.map { mean($0.draftRates) })
        let drafted = rows.map(\.drafted).reduce(0, +), accepted = rows.map(\.accepted).reduce(0, +)
        lines.append(String(format: "| all | | %@ | %d/%d (%.0f%%) | %.2f | %.2f | %.2fx |",
                            rows.allSatisfy(\.identical) ? "yes" : "NO", accepted, drafted,
                            drafted > 0 ? 100 * Double(accepted) / Double(drafted) : 0, alone, draft,
                            alone > 0 ? draft / alone : 0))
        return lines.joined(separator: "\n")
    }
}
