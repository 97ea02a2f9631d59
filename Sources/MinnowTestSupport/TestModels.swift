import Foundation

/// Locates the real GGUF test models fetched by `Scripts/fetch-models.sh` and the
/// committed fixtures under `Tests/Fixtures`.
///
/// On a developer's machine a missing model makes a test skip with a visible message.
/// When `MINNOW_REQUIRE_MODELS=1` (set by `.ci/run`), a missing model is a failure.
public enum TestModels {
    /// SmolLM2-135M-Instruct, llama architecture, Q4_1.
    public static let smolLM2 = "SmolLM2-135M-Instruct.Q4_1.gguf"
    /// Qwen2.5-Coder-0.5B-Instruct, qwen2 architecture, Q4_K_M mix.
    public static let qwen05 = "Qwen2.5-Coder-0.5B-Instruct.Q4_K_M.gguf"
    /// Qwen2.5-Coder-1.5B-Instruct, qwen2 architecture, Q4_K_M (benchmarks only; not in CI).
    public static let qwen15 = "Qwen2.5-Coder-1.5B-Instruct.Q4_K_M.gguf"
    /// DeepSeek-R1-Distill-Qwen-7B: complete header, tensor data cut after 95 MB.
    public static let r1Header = "DeepSeek-R1-Distill-Qwen-7B.header.gguf"

    /// The model cache folder: `$MINNOW_MODELS`, or `~/.cache/minnow/models`.
    public static var directory: URL {
        if let env = ProcessInfo.processInfo.environment["MINNOW_MODELS"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".cache/minnow/models")
    }

    /// Whether a missing model must fail the test run (CI) instead of skipping it.
    public static var required: Bool {
        ProcessInfo.processInfo.environment["MINNOW_REQUIRE_MODELS"] == "1"
    }

    /// The URL of a model if it is present on disk.
    public static func url(_ name: String) -> URL? {
        let url = directory.appendingPathComponent(name)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// Whether a test that needs `name` should run. Prints a visible skip message when the model
    /// is missing and not required; when it is required, returns true so that the test runs and fails.
    public static func available(_ name: String) -> Bool {
        if url(name) != nil { return true }
        if required { return true }
        FileHandle.standardError.write(Data(
            "note: skipping test that needs \(name): not in \(directory.path); run Scripts/fetch-models.sh\n".utf8))
        return false
    }

    /// The folder `Tests/Fixtures` of this repository.
    public static var fixtures: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures")
    }
}
