import ArgumentParser
import Foundation
import Minnow
import MinnowBackendSDK
import MinnowGGUF

/// `minnow bench`: llama-bench's prompt-processing (ppN) and text-generation (tgN) tests, per
/// backend and thread count, with mean ± sd tokens/s.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmark prompt processing (ppN) and generation (tgN) as llama-bench does.",
        discussion: """
        Both tests start from an empty KV cache and evaluate the fixed ids 100 + (i*7919 mod 20000), \
        so the workload is the same everywhere (Scripts/bench-vs-llamacpp feeds llama.cpp the same ids). \
        ppN evaluates N tokens in batches of --batch; tgN evaluates N tokens one at a time.

        With --draft, tg is measured instead on greedy chat answers of -n tokens to real prompts \
        (--prompts-file, one per line; default: 4 code and 4 prose prompts), with and without \
        speculative decoding, alternating; the table says whether the answers are identical and \
        gives the acceptance rate.
        """)

    @Option(name: .long, help: "Path to a GGUF model file.")
    var model: String

    @Option(name: .long, help: "Backends, comma-separated: auto (the library's default policy), cpu, vulkan.")
    var backend: String = "auto"

    @Option(name: .long, help: "CPU thread counts, comma-separated (default: one per core).")
    var threads: String?

    @Option(name: .customShort("p"), help: "Prompt tokens of the pp test (0: skip it).")
    var prompt: Int = 512

    @Option(name: .customShort("n"), help: "Generated tokens of the tg test (0: skip it).")
    var generate: Int = 128

    @Option(name: .long, help: "Tokens per batch in the pp test (llama-bench's ubatch).")
    var batch: Int = 512

    @Option(name: .long, help: "Repetitions of each test.")
    var repetitions: Int = 3

    @Option(name: .long, help: "KV cache element type: f16 or f32.")
    var cacheType: String = "f16"

    @Option(name: .long, help: "CPU kernel variant: auto, portable, avx2, avx512 or neon (default: MINNOW_CPU_KERNELS, else the best).")
    var cpuKernels: String?

    @Option(name: .long, help: "Memory bandwidth for the decode fraction: auto (measure), off, or GB/s.")
    var bandwidth: String = "auto"

    @OptionGroup var draftOption: DraftOption

    @Option(name: .long, help: "With --draft: a file of prompts, one per line.")
    var promptsFile: String?

    @Option(name: .long, help: "With --draft: the system prompt of the chats.")
    var system: String?

    @Flag(name: .long, help: "Print a JSON array, one object per result.")
    var json = false

    @Flag(name: .long, help: "Print a Markdown table.")
    var markdown = false

    func validate() throws {
        if prompt < 0 || generate < 0 { throw ValidationError("-p and -n must not be negative") }
        if prompt == 0 && generate == 0 { throw ValidationError("-p and -n are both 0: nothing to run") }
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if repetitions < 1 { throw ValidationError("--repetitions must be at least 1") }
        if json && markdown { throw ValidationError("choose one of --json and --markdown") }
        if KVCacheType(rawValue: cacheType) == nil { throw ValidationError("--cache-type must be f16 or f32") }
        if let threads { _ = try parseCounts(threads, option: "--threads") }
        for name in backendNames where BackendChoice(name: name) == nil {
            throw ValidationError("--backend: unknown backend '\(name)' (\(BackendChoice.names.joined(separator: ", ")))")
        }
        if bandwidth != "auto" && bandwidth != "off" && (Double(bandwidth) ?? 0) <= 0 {
            throw ValidationError("--bandwidth must be auto, off or a positive number of GB/s")
        }
    }

    private var backendNames: [String] {
        backend.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    private var tests: [BenchTest] {
        (prompt > 0 ? [BenchTest.prompt(prompt)] : []) + (generate > 0 ? [BenchTest.generation(generate)] : [])
    }

    func run() async throws {
        if draftOption.draft != nil {
            try await runSpeculative()
            return
        }
        let file = try GGUFFile.open(URL(fileURLWithPath: model), mode: .full)
        let transformer = try TransformerLoader.model(from: file)
        let info = ModelFootprint(transformer)
        let threadCounts = try threads.map { try parseCounts($0, option: "--threads") } ?? [CPUBackend.defaultThreadCount]
        let cacheType = KVCacheType(rawValue: cacheType) ?? .f16
        let modelName = URL(fileURLWithPath: model).lastPathComponent
        #if DEBUG
        let configuration = "debug"
        #else
        let configuration = "release"
        #endif
        let features = CPUFeatures.current.names
        let build = "\(configuration), CPU features: \(features.isEmpty ? "baseline" : features.joined(separator: " "))"
        var header = ["build: \(build)",
                      String(format: "model: %@, %.2f GiB, %.3f B parameters, %.2f GiB of weights read per token",
                             modelName, Double(info.bytes) / 1_073_741_824, Double(info.parameters) / 1e9,
                             Double(info.bytesPerToken) / 1_073_741_824)]
        var results: [BenchResult] = []
        for name in backendNames {
            // The same selection as `complete` and the library: an unavailable `vulkan` is an
            // error; `auto` says what it chose. A CPU backend runs once per thread count.
            let variant = try cpuKernels.flatMap { try CPUKernelVariant.forced(in: [CPUKernelVariant.environmentKey: $0]) }
            var runs: [(backend: any Backend, threads: Int)] = []
            for threadCount in threadCounts {
                guard let choice = BackendChoice(name: name, threads: threadCount, cpuKernels: variant) else { continue }
                let selection = try choice.select(for: transformer, cacheCapacity: max(prompt, generate) + 1,
                                                  cacheType: cacheType, threads: threadCount, cpuKernels: variant)
                if runs.isEmpty, let chosen = selection.note {
                    note(chosen)
                    header.append(chosen)
                }
                guard let cpu = selection.backend as? CPUBackend else {
                    runs = [(selection.backend, threadCount)]
                    break
                }
                if runs.isEmpty {
                    let types = Set(transformer.weights.infos.filter { $0.shape.count >= 2 }.map(\.type))
                    header.append("cpu kernels: " + cpu.kernels.summary(for: types.sorted { $0.rawValue < $1.rawValue }))
                }
                runs.append((cpu, threadCount))
            }
            for (instance, threadCount) in runs {
                var measuredBandwidth: Double?
                if instance is CPUBackend {
                    switch bandwidth {
                    case "off": measuredBandwidth = nil
                    case "auto":
                        measuredBandwidth = MemoryBandwidth.measure(threads: threadCount)
                        header.append(String(format: "memory bandwidth, %d threads: %.1f GB/s (measured)",
                                             threadCount, (measuredBandwidth ?? 0) / 1e9))
                    default: measuredBandwidth = Double(bandwidth).map { $0 * 1e9 }
                    }
                }
                header.append("\(instance.name), \(threadCount) threads: \(instance.deviceDescription)")
                let weights = try instance.loadWeights(transformer.weights)
                let session = try ModelSession(model: transformer, backend: instance, weights: weights,
                                               capacity: max(prompt, generate) + 1, cacheType: cacheType, maxBatch: batch)
                // Warm-up, as llama-bench: a short prompt and one generated token.
                _ = try session.evaluate(BenchWorkload.tokens(min(max(prompt, 1), 16)), shouldContinue: { true })
                session.truncate(to: 0)
                _ = try session.evaluate([BenchWorkload.tokenID(0)], shouldContinue: { true })
                for test in tests {
                    var samples: [Double] = []
                    for repetition in 0..<repetitions {
                        session.truncate(to: 0)
                        let seconds = try time(test, session)
                        samples.append(Double(test.tokenCount) / seconds)
                        note(String(format: "%@ %d threads %@ #%d: %.2f t/s", instance.name, threadCount, test.name,
                                    repetition + 1, samples[samples.count - 1]))
                    }
                    results.append(BenchResult(model: modelName, modelBytes: info.bytes, parameters: info.parameters,
                                               backend: instance.name, device: instance.deviceDescription, threads: threadCount,
                                               test: test, samples: samples, build: build,
                                               weightBytesPerToken: info.bytesPerToken, bandwidth: measuredBandwidth))
                }
            }
        }
        if json {
            try printJSON(results.map(\.jsonObject))
        } else {
            print(header.joined(separator: "\n"))
            print()
            print(markdown ? BenchTable.markdown(results) : BenchTable.text(results))
        }
    }

    /// Seconds to run `test` on `session`, whose cache is empty.
    private func time(_ test: BenchTest, _ session: ModelSession) throws -> Double {
        let start = now()
        switch test {
        case .prompt(let n):
            _ = try session.evaluate(BenchWorkload.tokens(n), shouldContinue: { true })
        case .generation(let n):
            for i in 0..<n { _ = try session.evaluate([BenchWorkload.tokenID(i)], shouldContinue: { true }) }
        }
        return now() - start
    }

    private func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

extension BenchCommand {
    /// `--draft`: tg with and without speculative decoding, alternating (``SpeculativeBench``).
    func runSpeculative() async throws {
        let threadCount = try threads.map { try parseCounts($0, option: "--threads") }?.first
        let options = LoadOptions(backend: .cpu(threads: threadCount), contextLength: 4096,
                                  kvCacheType: KVCacheType(rawValue: cacheType) ?? .f16)
        let target = try await Model.load(from: URL(fileURLWithPath: model), options: options)
        guard let speculation = try await draftOption.speculation(options: options) else { return }
        var prompts = SpeculativeBench.defaultPrompts
        if let promptsFile {
            prompts = try String(contentsOfFile: promptsFile, encoding: .utf8)
                .split(separator: "\n").map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        }
        let bench = SpeculativeBench(target: target, speculation: speculation, prompts: prompts, tokens: generate,
                                     repetitions: repetitions, system: system)
        print("model: \(target.info.name), \(target.info.backend); draft: \(draftOption.draft ?? "")")
        let rows = try await bench.run(note: note)
        print(SpeculativeBench.table(rows))
    }
}
