import ArgumentParser
import Foundation
import MinnowGGUF

/// `minnow info`: describe a GGUF model from its header, without reading tensor data.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe a GGUF model: architecture, hyperparameters, tokenizer, quant mix, tensors.")

    @Argument(help: "The GGUF model file.")
    var model: String

    @Flag(name: .long, help: "Print one JSON object instead of text.")
    var json = false

    @Flag(name: .long, help: "Read the header only; accept a file whose tensor data is cut or missing.")
    var metadataOnly = false

    func run() throws {
        let url = URL(fileURLWithPath: model)
        let file: GGUFFile
        do {
            file = try GGUFFile.open(url, mode: metadataOnly ? .metadataOnly : .full)
        } catch .tensorDataTruncated(let tensor, let offset, let end, let size) {
            let error = GGUFError.tensorDataTruncated(tensor: tensor, offset: offset, end: end, fileSize: size)
            throw InfoError(message: "\(model): \(error) (--metadata-only reads the header alone)")
        } catch {
            throw InfoError(message: "\(model): \(error)")
        }
        let summary = ModelSummary(file: file, path: model)
        print(json ? summary.json.rendered : summary.text)
    }
}

/// A one-line failure of `minnow info`.
struct InfoError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
