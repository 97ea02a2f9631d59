import ArgumentParser
import Foundation
import Minnow
import MinnowBackendSDK
import MinnowTokenizer

/// `minnow complete`: raw text completion, no chat template.
struct CompleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Continue a prompt (raw completion, no chat template; BOS as the model's metadata says).")

    @OptionGroup var engine: EngineOptions

    @OptionGroup var input: PromptInput

    @OptionGroup var draftOption: DraftOption

    @Option(name: .long, help: "The most tokens to generate.")
    var maxTokens: Int = 64

    @Option(name: .long, help: "Sampling temperature; 0 is greedy.")
    var temperature: Double = 0

    @Option(name: .long, help: "Random seed for sampling.")
    var seed: UInt64 = 0

    @Flag(name: .long, help: "Print one JSON object: ids, text, promptTokens, timings.")
    var json = false

    func validate() throws {
        if maxTokens < 0 { throw ValidationError("--max-tokens must not be negative") }
        if !(temperature >= 0) { throw ValidationError("--temperature must be 0 or more") }
        if draftOption.draft != nil && input.prompt == nil { throw ValidationError("--draft needs --prompt (not --ids)") }
    }

    func run() async throws {
        if draftOption.draft != nil {
            try await runSpeculative()
            return
        }
        let (file, model, backend) = try engine.load()
        let text = try PromptTokenizer(file: file)
        let promptTokens = try input.tokens(text)
        let session = try engine.session(model, backend, capacity: promptTokens.count + maxTokens)
        var sampler = Sampler(temperature: Float(temperature), seed: seed)

        let start = now()
        var logits = try session.evaluate(promptTokens, shouldContinue: { true })
        let promptDone = now()
        var generated: [Int32] = []
        var stream = StreamingDetokenizer(tokenizer: text.tokenizer, renderSpecial: true)
        while generated.count < maxTokens {
            let next = logits.withUnsafeBufferPointer { sampler.sample($0) }
            if text.isEndOfGeneration(next) { break }
            generated.append(next)
            if !json, let piece = try? stream.append(Int(next)) {
                FileHandle.standardOutput.write(Data(piece.utf8))
            }
            if generated.count == maxTokens { break }
            logits = try session.evaluate([next], shouldContinue: { true })
        }
        let end = now()
        let promptSeconds = promptDone - start, decodeSeconds = end - promptDone
        // The first generated token comes from the prompt's logits: decode speed counts the rest.
        let decodeSteps = max(0, generated.count - 1)
        if json {
            try printJSON([
                "ids": generated.map(Int.init),
                "text": text.decode(generated),
                "promptTokens": promptTokens.count,
                "timings": [
                    "promptSeconds": promptSeconds,
                    "promptTokensPerSecond": Double(promptTokens.count) / max(promptSeconds, 1e-9),
                    "decodeSeconds": decodeSeconds,
                    "decodeTokensPerSecond": decodeSteps == 0 ? 0 : Double(decodeSteps) / max(decodeSeconds, 1e-9),
                    "generatedTokens": generated.count,
                ] as [String: Any],
            ])
        } else {
            print(stream.finish())
            FileHandle.standardError.write(Data(String(
                format: "prompt: %d tokens, %.1f tokens/s; generated: %d tokens, %.1f tokens/s (%@)\n",
                promptTokens.count, Double(promptTokens.count) / max(promptSeconds, 1e-9),
                generated.count, decodeSteps == 0 ? 0 : Double(decodeSteps) / max(decodeSeconds, 1e-9), backend.name).utf8))
        }
    }
}

/// Greedy or temperature sampling with a seeded generator.
struct Sampler {
    let temperature: Float
    private var state: UInt64

    init(temperature: Float, seed: UInt64) {
        self.temperature = temperature
        state = seed &+ 0x9E37_79B9_7F4A_7C15
    }

    /// SplitMix64.
    private mutating func nextUnit() -> Double {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    mutating func sample(_ logits: UnsafeBufferPointer<Float>) -> Int32 {
        var best = 0
        for i in logits.indices where logits[i] > logits[best] { best = i }
        if temperature == 0 { return Int32(best) }
        let maximum = logits[best]
        var sum = 0.0
        for v in logits { sum += exp(Double((v - maximum) / temperature)) }
        var target = nextUnit() * sum
        for (i, v) in logits.enumerated() {
            target -= exp(Double((v - maximum) / temperature))
            if target <= 0 { return Int32(i) }
        }
        return Int32(best)
    }
}

extension CompleteCommand {
    /// `--draft`: the completion through the library's speculative decoding (the public API:
    /// `Model.generate` with `GenerationParameters.speculation`).
    func runSpeculative() async throws {
        let choice: BackendChoice = engine.backend == "vulkan" ? .vulkan(device: nil) : .cpu(threads: engine.threads)
        let options = LoadOptions(backend: choice, contextLength: 4096,
                                  kvCacheType: KVCacheType(rawValue: engine.cacheType) ?? .f16)
        let target = try await Model.load(from: URL(fileURLWithPath: engine.model), options: options)
        var parameters = GenerationParameters(maxTokens: maxTokens, temperature: Float(temperature), topK: 0, topP: 1,
                                              seed: seed)
        parameters.speculation = try await draftOption.speculation(options: options)
        var text = ""
        var stats = GenerationStats(stopReason: .cancelled)
        for try await event in target.generate(prompt: input.prompt ?? "", parameters: parameters) {
            switch event {
            case .text(let piece), .reasoning(let piece):
                text += piece
                if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
            case .toolCall: break  // Raw completion has no tools.
            case .done(let final): stats = final
            }
        }
        if json {
            try printJSON([
                "text": text,
                "promptTokens": stats.promptTokens,
                "draftedTokens": stats.draftedTokens,
                "acceptedDraftTokens": stats.acceptedDraftTokens,
                "timings": [
                    "promptTokensPerSecond": stats.promptTokensPerSecond,
                    "decodeTokensPerSecond": stats.decodeTokensPerSecond,
                    "generatedTokens": stats.generatedTokens,
                ] as [String: Any],
            ])
        } else {
            print()
            FileHandle.standardError.write(Data(String(
                format: "prompt: %d tokens, %.1f tokens/s; generated: %d tokens, %.1f tokens/s; %@\n",
                stats.promptTokens, stats.promptTokensPerSecond, stats.generatedTokens, stats.decodeTokensPerSecond,
                stats.draftSummary ?? "nothing drafted").utf8))
        }
    }
}
