import ArgumentParser
import Foundation
import Minnow

/// `minnow bench-constraint`: decode speed with and without a JSON-schema constraint, on the same
/// chat prompt, alternating the two, through the public API.
struct ConstraintBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-constraint",
        abstract: "Decode speed constrained by a JSON schema (or JSON mode) against unconstrained, alternating.")

    @Option(name: .long, help: "Path to a GGUF model file.")
    var model: String

    @Option(name: .long, help: "Threads for the CPU backend.")
    var threads: Int = 2

    @Option(name: .long, help: "A JSON schema file; without it, JSON mode (any object).")
    var jsonSchema: String?

    @Option(name: .long, help: "The user message.")
    var prompt: String = "Describe three fictional people as a JSON object: for each a name, an age, a city and a short biography."

    @Option(name: .long, help: "Tokens per generation.")
    var maxTokens: Int = 128

    @Option(name: .long, help: "Sampling temperature (0: greedy; above 0: top-k 40, top-p 0.95, seed 1).")
    var temperature: Float = 0

    @Option(name: .long, help: "Rounds; each runs unconstrained then constrained (the order alternates).")
    var rounds: Int = 4

    func run() async throws {
        let constraint: GenerationConstraint
        if let jsonSchema {
            constraint = try .jsonSchema(String(contentsOfFile: jsonSchema, encoding: .utf8))
        } else {
            constraint = .json
        }
        let loaded = try await Model.load(
            from: URL(fileURLWithPath: model), options: LoadOptions(backend: .cpu(threads: threads), contextLength: 1024))
        var free: [Double] = [], constrained: [Double] = []
        for round in 0..<rounds {
            for isConstrained in round % 2 == 0 ? [false, true] : [true, false] {
                var parameters = GenerationParameters(maxTokens: maxTokens, temperature: temperature, seed: 1)
                if isConstrained { parameters.constraint = constraint }
                // A fresh session each time: the prompt is evaluated again, decode starts alike.
                let chat = ChatSession(model: loaded, instructions: "You answer with JSON only.", parameters: parameters)
                let reply = try await chat.respond(to: prompt)
                let rate = reply.stats.decodeTokensPerSecond
                print(String(format: "round %d %@: %d tokens, %.2f tokens/s, stop %@", round,
                             isConstrained ? "constrained  " : "unconstrained", reply.stats.generatedTokens, rate,
                             "\(reply.stats.stopReason)"))
                if isConstrained { constrained.append(rate) } else { free.append(rate) }
            }
        }
        func median(_ values: [Double]) -> Double {
            let sorted = values.sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }
        // The first constrained round fills the grammar's mask cache; later rounds reuse it.
        let warm = Array(constrained.dropFirst())
        print(String(format: "median unconstrained %.2f t/s, constrained %.2f t/s (first round %.2f): overhead %.1f%%",
                     median(free), median(warm.isEmpty ? constrained : warm), constrained.first ?? 0,
                     100 * (median(free) / max(median(warm.isEmpty ? constrained : warm), 1e-9) - 1)))
    }
}
