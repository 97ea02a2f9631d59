import ArgumentParser
import Foundation
import Minnow
import MinnowBackendSDK
import MinnowGGUF

/// `minnow compare-backends`: runs one graph on two backends and names the first node whose
/// output differs (how a backend giving garbled output on some driver is traced to one op).
struct CompareBackendsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-backends",
        abstract: "Run one forward pass on two backends and name the first node whose output differs.")

    @Option(name: .long, help: "Path to a GGUF model file.")
    var model: String

    @Option(name: .long, help: "Comma-separated token ids, such as 1,2,3.")
    var ids: String

    @Option(name: .long, help: "The reference backend.")
    var reference: String = "cpu"

    @Option(name: .long, help: "The backend under test.")
    var backend: String = "vulkan"

    @Option(name: .long, help: "Largest accepted RMS(difference) / RMS(reference) of a node's output.")
    var tolerance: Float = 0.05

    @Option(name: .long, help: "KV cache element type: f16 or f32.")
    var cacheType: String = "f16"

    func run() throws {
        let tokens = try parseIDs(ids)
        guard !tokens.isEmpty else { throw ValidationError("--ids: no tokens") }
        guard let type = KVCacheType(rawValue: cacheType) else { throw ValidationError("--cache-type must be f16 or f32") }
        let file = try GGUFFile.open(URL(fileURLWithPath: model), mode: .full)
        let transformer = try TransformerLoader.model(from: file)
        func make(_ name: String) throws -> any Backend {
            guard let choice = BackendChoice(name: name) else {
                throw ValidationError("unknown backend '\(name)' (\(BackendChoice.names.joined(separator: ", ")))")
            }
            let selection = try choice.select(for: transformer, cacheCapacity: tokens.count, cacheType: type)
            if let note = selection.note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
            return selection.backend
        }
        let a = try GraphComparison.Side(backend: make(reference), model: transformer, capacity: tokens.count, cacheType: type)
        let b = try GraphComparison.Side(backend: make(backend), model: transformer, capacity: tokens.count, cacheType: type)
        let graph = try transformer.graph(batchSize: tokens.count, allLogits: true)
        let comparison = GraphComparison(a: a, b: b)
        print("\(graph.nodes.count) nodes; \(reference): \(a.backend.deviceDescription); \(backend): \(b.backend.deviceDescription)")
        let first = try comparison.firstDifference(graph, inputs: GraphInputs(tokens: tokens, startPosition: 0),
                                                   tolerance: tolerance) { print("  \($0)") }
        if let first {
            print("first difference: \(first)")
            throw ExitCode(1)
        }
        print("outputs agree within \(tolerance)")
    }
}
