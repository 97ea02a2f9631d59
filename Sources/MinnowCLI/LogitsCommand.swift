import ArgumentParser
import Foundation
import MinnowBackendSDK

/// `minnow logits`: the top-K next-token logits at every position of a sequence.
struct LogitsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logits",
        abstract: "Evaluate a sequence in one pass and print the top-K raw logits at every position.")

    @OptionGroup var engine: EngineOptions

    @OptionGroup var input: PromptInput

    @Option(name: .long, help: "How many logits to print per position.")
    var top: Int = 5

    @Flag(name: .long, help: "Print one JSON object: {\"positions\": [[[id, logit], …], …]}.")
    var json = false

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        let (file, model, backend) = try engine.load()
        let tokens = try input.tokens(PromptTokenizer(file: file))
        let session = try engine.session(model, backend, capacity: tokens.count)
        var positions: [[(Int, Float)]] = []
        try session.evaluateAll(tokens) { _, logits in positions.append(TopK.select(logits, k: top)) }
        if json {
            try printJSON(["positions": positions.map { $0.map { [$0.0, Double($0.1)] } }])
        } else {
            for (i, row) in positions.enumerated() {
                let entries = row.map { "\($0.0):\(String(format: "%.4f", $0.1))" }.joined(separator: " ")
                print("\(i) [\(tokens[i])] \(entries)")
            }
        }
    }
}

/// Selection of the largest logits.
enum TopK {
    /// The `k` largest values with their indices, largest first.
    static func select(_ values: UnsafeBufferPointer<Float>, k: Int) -> [(Int, Float)] {
        var best: [(Int, Float)] = []
        best.reserveCapacity(k + 1)
        for (i, v) in values.enumerated() where best.count < k || v > best[best.count - 1].1 {
            var at = best.count
            while at > 0 && best[at - 1].1 < v { at -= 1 }
            best.insert((i, v), at: at)
            if best.count > k { best.removeLast() }
        }
        return best
    }
}
