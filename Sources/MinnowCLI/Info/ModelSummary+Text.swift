import Foundation
import MinnowGGUF

extension ModelSummary {
    /// The human-readable report.
    var text: String {
        var lines: [String] = []
        let mode = file.mode == .metadataOnly ? ", header only" : ""
        lines.append("file:           \(path)")
        lines.append("format:         GGUF v\(file.version), \(Self.size(file.fileSize)), alignment \(file.alignment), tensor data at \(file.dataOffset)\(mode)")
        lines.append("architecture:   \(architecture)")
        if let name = file.metadata.string("general.name") { lines.append("name:           \(Self.clip(name))") }
        if let type = file.metadata.int("general.file_type") { lines.append("file type:      \(type)") }

        lines.append("hyperparameters:")
        let width = hyperparameters.map(\.0.count).max() ?? 0
        for (key, value) in hyperparameters {
            lines.append("  \(key.padding(toLength: width, withPad: " ", startingAt: 0))  \(Self.clip(value.description))")
        }

        var tokenizer = tokenizerModel ?? "none"
        if let pre = tokenizerPre { tokenizer += " (pre-tokenizer \(pre))" }
        if let vocabularySize { tokenizer += ", \(vocabularySize) tokens" }
        if let mergeCount { tokenizer += ", \(mergeCount) merges" }
        for (label, key) in [("bos", "tokenizer.ggml.bos_token_id"), ("eos", "tokenizer.ggml.eos_token_id")] {
            if let id = file.metadata.int(key) { tokenizer += ", \(label) \(id)" }
        }
        lines.append("tokenizer:      \(tokenizer)")
        lines.append("chat template:  \(chatTemplate.map { "present (\($0.count) characters)" } ?? "absent")")

        lines.append("quant mix:      \(file.tensors.count) tensors, \(Self.size(quantMix.reduce(0) { $0 &+ $1.bytes }))")
        for share in quantMix {
            let name = share.type.name.padding(toLength: 8, withPad: " ", startingAt: 0)
            lines.append("  \(name) \(String(share.tensors).leftPadded(5)) tensors  \(Self.size(share.bytes).leftPadded(10))")
        }
        let kernels = cpuKernels
        lines.append("cpu kernels:    \(kernels.variant) on this CPU"
                     + (kernels.perType.isEmpty ? "" : " (" + kernels.perType.map { "\($0.0.name): \($0.1)" }.joined(separator: ", ") + ")"))
        if tensorsOutsideFile > 0 {
            lines.append("tensor data:    cut: \(tensorsOutsideFile) of \(file.tensors.count) tensors lie past the end of the file")
        }

        lines.append("tensors:")
        let nameWidth = file.tensors.map(\.name.count).max() ?? 0
        for tensor in file.tensors {
            let name = tensor.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            let type = tensor.type.name.padding(toLength: 6, withPad: " ", startingAt: 0)
            let shape = "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]"
            lines.append("  \(name)  \(type)  \(shape.padding(toLength: 16, withPad: " ", startingAt: 0))  offset \(tensor.offset)  \(tensor.byteCount) bytes")
        }
        return lines.joined(separator: "\n")
    }

    /// A byte count in MiB (or KiB / bytes when small).
    static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 { return String(format: "%.1f MiB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return String(format: "%.1f KiB", Double(bytes) / Double(1 << 10)) }
        return "\(bytes) bytes"
    }

    /// One line of at most 80 characters.
    static func clip(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count > 80 ? String(flat.prefix(77)) + "..." : flat
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
