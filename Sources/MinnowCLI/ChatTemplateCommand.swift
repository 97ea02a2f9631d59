import ArgumentParser
import Foundation
import MinnowGGUF
import MinnowTemplate

/// `minnow chat-template`: the prompt a model's own chat template makes of a conversation.
struct ChatTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat-template",
        abstract: "Print the prompt that a model's chat template renders for a conversation, and nothing else.")

    @Option(name: .long, help: "The GGUF model file (only its metadata is read).")
    var model: String

    @Option(name: .long, help: "A JSON file holding an array of {\"role\", \"content\"} messages.")
    var messages: String

    @Flag(name: .long, help: "Do not end the prompt with the assistant's header.")
    var noGenerationPrompt = false

    /// A problem with the command's input files.
    struct InputError: Error, CustomStringConvertible {
        let description: String
    }

    func run() throws {
        let file = try GGUFFile.open(URL(fileURLWithPath: model), mode: .metadataOnly)
        let template = try ChatTemplate(gguf: file)
        let conversation = try Self.readMessages(at: messages)
        let prompt = try template.render(messageValues: conversation, addGenerationPrompt: !noGenerationPrompt)
        FileHandle.standardOutput.write(Data(prompt.utf8))
    }

    /// The messages of a JSON file: an array of objects with a string `role` and a `content`
    /// (a string, or null for tool-calling assistant turns); other keys pass through to the template.
    static func readMessages(at path: String) throws -> [TemplateValue] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(description: "cannot read the messages file '\(path)'")
        }
        let value: TemplateValue
        do {
            value = try TemplateValue(jsonBytes: Array(data))
        } catch {
            throw InputError(description: "\(path): \(error)")
        }
        guard case .array(let items) = value else {
            throw InputError(description: "\(path): expected a JSON array of {\"role\", \"content\"} objects")
        }
        for (index, item) in items.enumerated() {
            guard case .string? = item["role"] else {
                throw InputError(description: "\(path): message \(index) has no string \"role\"")
            }
            switch item["content"] {
            case .string?, .null?, .array?: break
            default: throw InputError(description: "\(path): message \(index) has no \"content\"")
            }
        }
        return items
    }
}
