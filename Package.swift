// swift-tools-version:6.1
// Minnow: local inference of DeepSeek-R1 distilled models (qwen2, llama) from GGUF files.
import PackageDescription

let package = Package(
    name: "Minnow",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Minnow", targets: ["Minnow"]),
        // The public backend SDK: backends, providers and CPU kernel plugins (MinnowEngine's public face).
        .library(name: "MinnowBackendSDK", targets: ["MinnowBackendSDK"]),
        // Building blocks with their own public APIs, for tools that need them (the `minnow`
        // command uses them): the GGUF reader and writer, the tokenizer, the chat-template
        // engine, and the model catalog with its downloader. `import Minnow` brings none of them.
        .library(name: "MinnowGGUF", targets: ["MinnowGGUF"]),
        .library(name: "MinnowTokenizer", targets: ["MinnowTokenizer"]),
        .library(name: "MinnowTemplate", targets: ["MinnowTemplate"]),
        .library(name: "MinnowCatalog", targets: ["MinnowCatalog"]),
        .executable(name: "minnow", targets: ["MinnowCLI"]),
        .executable(name: "minnow-chat", targets: ["ChatREPL"]),
        .executable(name: "minnow-summarize", targets: ["BatchSummarizer"]),
        .executable(name: "minnow-serve", targets: ["MinnowServe"]),
    ],
    // `Vulkan` (on by default) builds the Vulkan backend into the `Minnow` library. An app that
    // wants only the CPU backend turns it off (`traits: []` on its dependency) and needs no
    // Vulkan headers to build.
    traits: [
        .trait(name: "Vulkan", description: "The Vulkan compute backend (needs the Vulkan headers to build)."),
        .default(enabledTraits: ["Vulkan"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // minnow-serve (Examples/Server) only: HTTP server, logging, Prometheus metrics.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // GGUF container reader and ggml quantization formats.
        .target(name: "MinnowGGUF", path: "Sources/MinnowGGUF"),
        // Byte-level BPE tokenizer, pre-tokenizers, streaming detokenizer.
        .target(name: "MinnowTokenizer", dependencies: ["MinnowGGUF"], path: "Sources/MinnowTokenizer"),
        // Jinja subset interpreter for chat templates.
        .target(name: "MinnowTemplate", dependencies: ["MinnowGGUF"], path: "Sources/MinnowTemplate"),
        // Graph, backend protocol, CPU backend, model architectures.
        .target(name: "MinnowEngine", dependencies: ["MinnowGGUF", "MinnowCPUKernels"], path: "Sources/MinnowEngine"),
        // The CPU matrix kernels' instruction-set variants (AVX2, AVX-512 VNNI, NEON) in C, each
        // function compiled for its instruction set by a target attribute (no unsafe flags), and
        // chosen at run time from the CPU's features.
        .target(name: "MinnowCPUKernels", path: "Sources/MinnowCPUKernels"),
        // The backend SDK: re-exports MinnowEngine's public declarations and GGMLType.
        .target(name: "MinnowBackendSDK", dependencies: ["MinnowEngine", "MinnowGGUF"], path: "Sources/MinnowBackendSDK"),
        // The public API (the Vulkan backend is reached through LoadOptions; its loader is
        // opened at run time, so only the headers are needed to build).
        .target(
            name: "Minnow",
            dependencies: [
                "MinnowGGUF", "MinnowTokenizer", "MinnowTemplate", "MinnowEngine", "MinnowBackendSDK",
                .target(name: "MinnowVulkan", condition: .when(traits: ["Vulkan"])),
            ],
            path: "Sources/Minnow"
        ),
        // Vulkan headers only (VK_NO_PROTOTYPES): the loader is opened at run time, never linked.
        .systemLibrary(name: "CVulkan", path: "Sources/CVulkan"),
        // SPIR-V of Shaders/*.comp as generated C arrays (Scripts/compile-shaders.sh).
        .target(name: "MinnowVulkanShaders", path: "Sources/MinnowVulkanShaders"),
        // The Vulkan compute backend.
        .target(
            name: "MinnowVulkan",
            dependencies: ["CVulkan", "MinnowVulkanShaders", "MinnowEngine", "MinnowGGUF"],
            path: "Sources/MinnowVulkan"
        ),
        .executableTarget(
            name: "MinnowCLI",
            dependencies: [
                // Public products only (Scripts/check-consumer-package.sh builds these sources
                // outside the package to prove it).
                "Minnow", "MinnowBackendSDK", "MinnowGGUF", "MinnowTokenizer", "MinnowTemplate", "MinnowCatalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/MinnowCLI"
        ),
        // Catalog names -> sources and sha256; resumable download, PyPI mirrors, progress bars.
        .target(name: "MinnowCatalog", path: "Sources/MinnowCatalog"),
        // Example apps: testable logic (Kit) and thin executables (App), public API only.
        .target(
            name: "ExampleSupport",
            dependencies: ["Minnow", "MinnowCatalog", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/Shared"
        ),
        .target(name: "ChatREPLKit", dependencies: ["Minnow", "MinnowCatalog"], path: "Examples/ChatREPL/Kit"),
        .executableTarget(
            name: "ChatREPL",
            dependencies: ["ChatREPLKit", "ExampleSupport", "Minnow", "MinnowCatalog",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/ChatREPL/App"
        ),
        .target(name: "BatchSummarizerKit", dependencies: ["Minnow", "MinnowCatalog"], path: "Examples/BatchSummarizer/Kit"),
        .executableTarget(
            name: "BatchSummarizer",
            dependencies: ["BatchSummarizerKit", "ExampleSupport", "Minnow", "MinnowCatalog",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Examples/BatchSummarizer/App"
        ),
        // minnow-serve: an OpenAI-compatible HTTP server (request/response types and their
        // validation in the API, which needs only Minnow and is fuzzed; SSE and scheduling in the
        // Kit; the Hummingbird app and command line in the App).
        .target(name: "ServerAPI", dependencies: ["Minnow"], path: "Examples/Server/API"),
        .target(
            name: "ServerKit",
            dependencies: [
                "Minnow",
                "ServerAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Examples/Server/Kit"
        ),
        .executableTarget(
            name: "MinnowServe",
            dependencies: ["ServerKit", "ServerAPI", "ExampleSupport", "Minnow", "MinnowCatalog",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Hummingbird", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                           .product(name: "UnixSignals", package: "swift-service-lifecycle")],
            path: "Examples/Server/App"
        ),
        // Helpers shared by the test targets (model paths, fixtures, the multi-sequence run).
        .target(name: "MinnowTestSupport", dependencies: ["MinnowEngine"], path: "Sources/MinnowTestSupport"),
        // A test trait (`.offPool`) that runs long synchronous test bodies on a thread of their
        // own, so that `swift test` can run suites in parallel on a 2-core cooperative pool.
        .target(name: "MinnowTestTraits", path: "Sources/MinnowTestTraits"),
        .testTarget(name: "MinnowGGUFTests", dependencies: ["MinnowGGUF", "MinnowTestSupport", "MinnowTestTraits"]),
        .testTarget(name: "MinnowTokenizerTests", dependencies: ["MinnowTokenizer", "MinnowGGUF", "MinnowTestSupport", "MinnowTestTraits"]),
        .testTarget(name: "MinnowTemplateTests", dependencies: ["MinnowTemplate", "MinnowGGUF", "MinnowTestSupport"]),
        .testTarget(name: "MinnowEngineTests", dependencies: ["MinnowEngine", "MinnowCPUKernels", "MinnowGGUF", "MinnowTestSupport", "MinnowTestTraits"]),
        .testTarget(name: "MinnowVulkanTests", dependencies: ["MinnowVulkan", "MinnowEngine", "MinnowGGUF", "MinnowTestSupport", "MinnowTestTraits"]),
        .testTarget(name: "MinnowTests", dependencies: ["Minnow", "MinnowBackendSDK", "MinnowGGUF", "MinnowTestSupport"]),
        .testTarget(name: "MinnowCatalogTests", dependencies: ["MinnowCatalog"]),
        .testTarget(name: "ServerKitTests", dependencies: ["ServerKit", "ServerAPI", "Minnow"]),
        // The fuzz targets (one function per parser of untrusted input), shared by the libFuzzer
        // build (Scripts/fuzz.sh) and the corpus replay tests.
        .target(
            name: "MinnowFuzzTargets",
            dependencies: ["MinnowGGUF", "MinnowTokenizer", "MinnowTemplate", "BatchSummarizerKit", "ServerAPI",
                           "Minnow", "MinnowTestSupport"],
            path: "Fuzz/Targets"
        ),
        .testTarget(name: "FuzzCorpusTests", dependencies: ["MinnowFuzzTargets", "MinnowTestSupport"]),
        .testTarget(
            name: "ExamplesTests",
            dependencies: ["ChatREPLKit", "BatchSummarizerKit", "Minnow", "MinnowEngine", "MinnowCatalog", "MinnowTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// The libFuzzer entry point has no `main` (libFuzzer brings its own), so it exists only in the
// fuzz build, which Scripts/fuzz.sh runs with MINNOW_FUZZ=1 in its own scratch path.
if Context.environment["MINNOW_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(name: "MinnowFuzz", dependencies: ["MinnowFuzzTargets"], path: "Fuzz/LibFuzzerEntry"))
}

// The sanitizer builds (Scripts/sanitize.sh, MINNOW_SANITIZE=1, their own scratch paths) run the
// engine, API and parser suites only: leaving out the server (SwiftNIO and Hummingbird), its
// tests and the example apps' tests saves minutes of instrumented compilation in CI.
if Context.environment["MINNOW_SANITIZE"] == "1" {
    let left: Set<String> = ["MinnowServe", "ServerKit", "ServerKitTests", "ExamplesTests"]
    package.targets.removeAll { left.contains($0.name) }
    package.products.removeAll { product in product.name == "minnow-serve" }
}
