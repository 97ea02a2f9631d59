import ArgumentParser
import Foundation
import MinnowBackendSDK
import Minnow
import MinnowGGUF

/// Options shared by the commands that run a model: the file, the backend and its threads.
struct EngineOptions: ParsableArguments {
    @Option(name: .long, help: "Path to a GGUF model file.")
    var model: String

    @Option(name: .long, help: "Threads for the CPU backend (default: one per core).")
    var threads: Int?

    @Option(name: .long, help: "Backend: auto (the library's default policy), cpu or vulkan.")
    var backend: String = "auto"

    @Option(name: .long, help: "KV cache element type: f16 or f32.")
    var cacheType: String = "f16"

    @Option(name: .long, help: "CPU kernel variant: auto, portable, avx2, avx512 or neon (default: MINNOW_CPU_KERNELS, else the best this CPU runs).")
    var cpuKernels: String?

    func validate() throws {
        if BackendChoice(name: backend) == nil {
            throw ValidationError("--backend must be one of \(BackendChoice.names.joined(separator: ", "))")
        }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if KVCacheType(rawValue: cacheType) == nil { throw ValidationError("--cache-type must be f16 or f32") }
        _ = try cpuKernelVariant()
    }

    /// The variant `--cpu-kernels` forces (nil: automatic).
    func cpuKernelVariant() throws -> CPUKernelVariant? {
        guard let cpuKernels else { return nil }
        do {
            return try CPUKernelVariant.forced(in: [CPUKernelVariant.environmentKey: cpuKernels])
        } catch {
            throw ValidationError("--cpu-kernels: \(error)")
        }
    }

    /// Opens the model file and makes the backend (the same selection as the library's
    /// `LoadOptions.backend`; the device memory check assumes a cache of the model's context,
    /// at most 4096 positions). With `auto`, prints on stderr which backend was chosen and why.
    func load() throws -> (file: GGUFFile, model: TransformerModel, backend: any Backend) {
        let file = try GGUFFile.open(URL(fileURLWithPath: model), mode: .full)
        let transformer = try TransformerLoader.model(from: file)
        let variant = try cpuKernelVariant()
        guard let choice = BackendChoice(name: backend, threads: threads, cpuKernels: variant) else {
            throw ValidationError("--backend must be one of \(BackendChoice.names.joined(separator: ", "))")
        }
        let selection = try choice.select(
            for: transformer, cacheCapacity: min(transformer.config.trainedContextLength, 4096),
            cacheType: KVCacheType(rawValue: cacheType) ?? .f16, threads: threads, cpuKernels: variant)
        if let note = selection.note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        return (file, transformer, selection.backend)
    }

    /// A session with room for `capacity` tokens.
    func session(_ model: TransformerModel, _ backend: any Backend, capacity: Int) throws -> ModelSession {
        try ModelSession(model: model, backend: backend, capacity: capacity, cacheType: KVCacheType(rawValue: cacheType) ?? .f16)
    }
}

/// Errors of the engine commands.
struct EngineCommandError: Error, CustomStringConvertible {
    let description: String
}

/// Writes `object` as one line of JSON to standard output.
func printJSON(_ object: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

/// Monotonic seconds.
func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}
