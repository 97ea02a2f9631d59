import MinnowBackendSDK
import MinnowGGUF

/// What `minnow info` reports about a GGUF file, computed from its header only.
struct ModelSummary {
    /// Tensors and bytes of one element type.
    struct QuantShare {
        var type: GGMLType
        var tensors: Int
        var bytes: Int
    }

    let file: GGUFFile
    let path: String

    var architecture: String { file.architecture ?? "unknown" }

    /// `<arch>.*` scalar hyperparameters, in file order, with the prefix removed.
    var hyperparameters: [(String, GGUFValue)] {
        let prefix = architecture + "."
        return file.metadata.entries.compactMap { key, value in
            guard key.hasPrefix(prefix), value.type != .array else { return nil }
            return (String(key.dropFirst(prefix.count)), value)
        }
    }

    var tokenizerModel: String? { file.metadata.string("tokenizer.ggml.model") }
    var tokenizerPre: String? { file.metadata.string("tokenizer.ggml.pre") }
    var vocabularySize: Int? { file.metadata.array("tokenizer.ggml.tokens")?.count }
    var mergeCount: Int? { file.metadata.array("tokenizer.ggml.merges")?.count }
    var chatTemplate: String? { file.metadata.string("tokenizer.chat_template") }

    /// The CPU kernel variant and, per matrix weight type, the kernel the CPU backend would run
    /// on this machine (honouring `MINNOW_CPU_KERNELS`), or the reason it cannot choose.
    var cpuKernels: (variant: String, perType: [(GGMLType, String)]) {
        let types = Set(file.tensors.filter { $0.shape.count >= 2 }.map(\.type)).sorted { $0.rawValue < $1.rawValue }
        do {
            let kernels = try CPUKernelRegistry.standard.resolve(forcing: CPUKernelVariant.forced())
            return (kernels.variant.rawValue, types.map { type in
                let name = kernels.name(for: type) ?? "none"
                return (type, kernels.kernel(for: type)?.repacksWeights == true ? name + " (repacked)" : name)
            })
        } catch {
            return ("error: \(error)", [])
        }
    }

    /// Tensor count and bytes per type, most bytes first.
    var quantMix: [QuantShare] {
        var shares: [GGMLType: QuantShare] = [:]
        for tensor in file.tensors {
            shares[tensor.type, default: QuantShare(type: tensor.type, tensors: 0, bytes: 0)].tensors += 1
            shares[tensor.type, default: QuantShare(type: tensor.type, tensors: 0, bytes: 0)].bytes &+= tensor.byteCount
        }
        return shares.values.sorted { ($0.bytes, $0.type.rawValue) > ($1.bytes, $1.type.rawValue) }
    }

    /// Tensors whose data lies past the end of the file (only possible in metadata-only mode).
    var tensorsOutsideFile: Int {
        file.tensors.filter { $0.byteCount > file.fileSize - $0.offset }.count
    }
}
