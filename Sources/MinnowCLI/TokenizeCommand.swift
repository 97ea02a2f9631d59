import ArgumentParser
import Foundation
import MinnowTokenizer

/// `minnow tokenize`: prints the token ids of UTF-8 text read from standard input.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids of UTF-8 text read from standard input.",
        discussion: """
            Loads only the tokenizer metadata of the GGUF file, so a file whose tensor data is cut \
            works too. With --bench, prints the vocabulary load time and the tokenization throughput \
            (best of several runs) instead of the ids.
            """
    )

    @Option(name: .long, help: "The GGUF model file.")
    var model: String

    @Flag(name: .long, help: "Turn spellings of control tokens (such as <|im_start|>) into their ids.")
    var special = false

    @Flag(name: .long, help: "Add the BOS (and EOS) tokens when the model asks for them (llama.cpp's add_special).")
    var bos = false

    @Flag(name: .long, help: "Print exactly one JSON array of integers.")
    var json = false

    @Flag(name: .long, help: "Measure load time and throughput instead of printing ids.")
    var bench = false

    @Option(name: .long, help: "Runs per measurement with --bench.")
    var repeats = 5

    func run() throws {
        let input = FileHandle.standardInput.readDataToEndOfFile()
        let text = String(decoding: input, as: UTF8.self)
        let url = URL(fileURLWithPath: model)
        if bench {
            try runBenchmark(url: url, text: text, byteCount: input.count)
            return
        }
        let tokenizer: Tokenizer
        do {
            tokenizer = try Tokenizer(contentsOf: url)
        } catch {
            throw TokenizeFailure(description: error.description)
        }
        let ids = tokenizer.encode(text, addSpecial: bos, parseSpecial: special)
        let list = ids.map(String.init)
        print(json ? "[" + list.joined(separator: ",") + "]" : list.joined(separator: " "))
    }

    private func runBenchmark(url: URL, text: String, byteCount: Int) throws {
        var tokenizer: Tokenizer?
        var load = Timing()
        for _ in 0..<max(1, repeats) {
            let clock = Clock.start()
            do {
                tokenizer = try Tokenizer(contentsOf: url)
            } catch {
                throw TokenizeFailure(description: error.description)
            }
            load.record(clock)
        }
        guard let tokenizer else { return }
        var encode = Timing()
        var tokenCount = 0
        for _ in 0..<max(1, repeats) {
            let clock = Clock.start()
            tokenCount = tokenizer.encode(text, addSpecial: bos, parseSpecial: special).count
            encode.record(clock)
        }
        let megabytes = Double(byteCount) / 1_000_000
        print(String(format: "load_ms %.1f (cpu %.1f)", load.wall * 1000, load.cpu * 1000))
        print(String(format: "encode_ms %.1f (cpu %.1f)", encode.wall * 1000, encode.cpu * 1000))
        print(String(format: "throughput_mb_s %.2f (cpu %.2f)", megabytes / encode.wall, megabytes / encode.cpu))
        print("tokens \(tokenCount)")
        print("bytes \(byteCount)")
    }
}

/// Wall-clock and thread CPU time at a starting point.
private struct Clock {
    var wall: Double
    var cpu: Double

    static func now() -> Clock {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Clock(
            wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9,
            cpu: Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9)
    }

    static func start() -> Clock { now() }
}

/// The best (smallest) wall-clock and CPU durations seen, in seconds. On a busy machine the
/// CPU time is the steadier measure.
private struct Timing {
    var wall = Double.infinity
    var cpu = Double.infinity

    mutating func record(_ start: Clock) {
        let end = Clock.now()
        wall = min(wall, end.wall - start.wall)
        cpu = min(cpu, end.cpu - start.cpu)
    }
}

/// A tokenizer that could not be built; printed as `Error: <description>` without the usage text.
struct TokenizeFailure: Error, CustomStringConvertible {
    /// What went wrong.
    let description: String
}
