import MinnowGGUF
import MinnowTemplate
import MinnowTokenizer

/// Arbitrary bytes as a GGUF file: parsed in both load modes; when accepted, every metadata value
/// and tensor range is read, and the tokenizer and chat template are built from the metadata, as
/// loading a model from the internet does.
enum GGUFFuzzTarget {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let headerOnly = try? GGUFFile.parse(borrowing: bytes, mode: .metadataOnly)
        guard let file = try? GGUFFile.parse(borrowing: bytes, mode: .full) else { return }
        // A file the full parse accepts, the metadata-only parse accepts too, with the same header.
        require(headerOnly != nil, "metadata-only parse refused a file the full parse accepted")
        require(headerOnly?.metadata == file.metadata, "the two load modes read different metadata")
        require(headerOnly?.tensors.count == file.tensors.count, "the two load modes read different tensors")
        for key in file.metadata.keys {
            _ = file.metadata.string(key)
            _ = file.metadata.int(key)
            _ = file.metadata.double(key)
            if let array = file.metadata.array(key) {
                _ = array.description
                _ = array.strings()
                _ = array.integers()
                _ = array.floats()
            }
        }
        for tensor in file.tensors {
            if let data = try? file.bytes(of: tensor) {
                require(data.count <= bytes.count, "tensor \(tensor.name) is larger than the file")
            }
        }
        if let tokenizer = try? Tokenizer(gguf: file) {
            let ids = tokenizer.encode("Hello <|im_start|> wörld 123\n", addSpecial: true, parseSpecial: true)
            for id in ids { require((0..<tokenizer.vocabularySize).contains(id), "encode gave id \(id) outside the vocabulary") }
            _ = try? tokenizer.decode(ids)
        }
        if let template = try? ChatTemplate(gguf: file) {
            _ = try? template.render(messages: [.user("Hi")], limits: TemplateFuzzTarget.limits)
        }
    }
}
