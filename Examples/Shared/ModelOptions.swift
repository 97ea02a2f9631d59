import ArgumentParser
import Foundation
import Minnow
import MinnowCatalog

/// The options both example apps take to choose and load a model.
public struct ModelOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp(
        "A catalog name or a path to a .gguf file.",
        discussion: "Catalog: \(Catalog.models.map(\.name).joined(separator: ", ")). Downloaded to $MINNOW_MODELS "
            + "(default ~/.cache/minnow/models) on first use."))
    public var model: String = Catalog.defaultName

    @Option(name: .long, help: "Backend: auto, cpu or vulkan.")
    public var backend: String = "auto"

    @Option(name: .long, help: "Threads for the CPU backend (default: one per core).")
    public var threads: Int?

    @Option(name: .long, help: "Context length in tokens (default: the model's, at most 4096).")
    public var context: Int?

    @Flag(name: .long, help: "Fail instead of using another catalog model when this one cannot be fetched.")
    public var noFallback = false

    /// Options from the command line.
    public init() {}

    /// Checks the values.
    public func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let context, context < 16 { throw ValidationError("--context must be at least 16") }
        if !["auto", "cpu", "vulkan"].contains(backend) { throw ValidationError("--backend must be auto, cpu or vulkan") }
    }

    /// The load options these flags ask for.
    public var loadOptions: LoadOptions {
        let choice: BackendChoice = switch backend {
        case "cpu": .cpu(threads: threads)
        case "vulkan": .vulkan(device: nil)
        default: threads.map { .cpu(threads: $0) } ?? .auto
        }
        return LoadOptions(backend: choice, contextLength: context)
    }

    /// Finds (downloading if needed) and loads the model, with progress on standard error;
    /// `adjust` may change the load options these flags ask for.
    public func loadModel(adjusting adjust: (inout LoadOptions) -> Void = { _ in }) async throws -> Model {
        let resolver = ModelResolver(fetcher: ModelFetcher(), fallsBack: !noFallback)
        let resolution = try await resolver.resolve(model)
        printError("loading \(resolution.file.path)")
        let start = ContinuousClock.now
        var options = loadOptions
        adjust(&options)
        let model = try await Model.load(from: resolution.file, options: options)
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        printError("loaded \(model.info.name) (\(model.info.architecture), context \(model.info.contextLength) tokens) "
            + "in \(UnitFormat.oneDecimal(seconds)) s")
        return model
    }
}

/// Writes a line to standard error.
public func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
