#!/usr/bin/env bash
# Builds a package OUTSIDE this repository that depends on Minnow BY VERSION, and runs it on a
# model: the "done when" check of the public API issue.
#
#   Scripts/check-consumer-package.sh MODEL.gguf [WORKDIR]
#
# It clones the committed HEAD of this repository into WORKDIR, tags the clone 0.1.0, writes a
# consumer package that uses `.package(url: "file://…/minnow", from: "0.1.0")`, builds it in
# release mode and runs it. The program chats two turns twice: (a) on the CPU backend with its
# own Q4_K kernel registered (printing the kernel's call count), (b) on a backend of its own, a
# CPU wrapper counting graph executions, which `.auto` picks from its provider's score. The same
# package also builds the `minnow` command's and the example apps' sources from the public
# products only.
set -euo pipefail
model="${1:?usage: $0 MODEL.gguf [WORKDIR]}"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${2:-$(mktemp -d /tmp/minnow-consumer.XXXXXX)}"
mkdir -p "$work"
rm -rf "$work/minnow"
git clone --quiet "$repo" "$work/minnow"
git -C "$work/minnow" -c user.name=minnow -c user.email=minnow@localhost tag -a 0.1.0 -m 0.1.0
mkdir -p "$work/consumer/Sources/Consumer"
cat > "$work/consumer/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Consumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "file://$work/minnow", from: "0.1.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowBackendSDK", package: "minnow"),
        ]),
        // The \`minnow\` command's own sources, built here from the public products alone: a
        // package-level symbol used by the CLI would not compile outside the package.
        .executableTarget(name: "MinnowCLIPublicAPI", dependencies: [
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowBackendSDK", package: "minnow"),
            .product(name: "MinnowGGUF", package: "minnow"),
            .product(name: "MinnowTokenizer", package: "minnow"),
            .product(name: "MinnowTemplate", package: "minnow"),
            .product(name: "MinnowCatalog", package: "minnow"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The example apps (Examples/Shared, ChatREPL, BatchSummarizer), likewise: their modules
        // renamed with a "Public" prefix, since the graph already has targets of their names.
        .target(name: "PublicExampleSupport", dependencies: [
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowCatalog", package: "minnow"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "PublicChatREPLKit", dependencies: [
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowCatalog", package: "minnow"),
        ]),
        .executableTarget(name: "PublicChatREPL", dependencies: [
            "PublicChatREPLKit", "PublicExampleSupport",
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowCatalog", package: "minnow"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "PublicBatchSummarizerKit", dependencies: [
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowCatalog", package: "minnow"),
        ]),
        .executableTarget(name: "PublicBatchSummarizer", dependencies: [
            "PublicBatchSummarizerKit", "PublicExampleSupport",
            .product(name: "Minnow", package: "minnow"),
            .product(name: "MinnowCatalog", package: "minnow"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
SWIFT
copy_example() { # source folder, module name
  rm -rf "$work/consumer/Sources/$2"
  cp -R "$work/minnow/$1" "$work/consumer/Sources/$2"
  find "$work/consumer/Sources/$2" -name '*.swift' -exec sed -i -E \
    's/^import (ExampleSupport|ChatREPLKit|BatchSummarizerKit)$/import Public\1/' {} +
}
copy_example Examples/Shared PublicExampleSupport
copy_example Examples/ChatREPL/Kit PublicChatREPLKit
copy_example Examples/ChatREPL/App PublicChatREPL
copy_example Examples/BatchSummarizer/Kit PublicBatchSummarizerKit
copy_example Examples/BatchSummarizer/App PublicBatchSummarizer
mkdir -p "$work/consumer/Sources"
rm -rf "$work/consumer/Sources/MinnowCLIPublicAPI"
cp -R "$work/minnow/Sources/MinnowCLI" "$work/consumer/Sources/MinnowCLIPublicAPI"
# The SDK articles' code (a counting backend and its provider) and Examples/KernelPlugin's
# kernel files, as an app would write them.
cp "$work/minnow/Tests/MinnowTests/SDK/ArticleCode.swift" \
   "$work/minnow/Examples/KernelPlugin/Sources/KernelPlugin/"{Q8_0Block,PlainQ8_0Kernel,CallCount}.swift \
   "$work/consumer/Sources/Consumer/"
cat > "$work/consumer/Sources/Consumer/main.swift" <<'SWIFT'
import Foundation
import Minnow
import MinnowBackendSDK

let url = URL(fileURLWithPath: CommandLine.arguments[1])

/// Two turns; prints the first turn's token counts, then both answers.
func chat(_ model: Model) async throws {
    let chat = ChatSession(model: model, instructions: "Answer in one short sentence.")
    var answer = ""
    for try await event in chat.stream("What is the capital of France?") {
        switch event {
        case .reasoning, .toolCall: break
        case .text(let piece): answer += piece
        case .done(let stats): print(stats.promptTokens, stats.cachedTokens, stats.generatedTokens)
        }
    }
    let reply = try await chat.respond(to: "And of Germany?")
    print(answer, reply.answer)
}

// (a) An app kernel for Q4_K weights, wrapping the best built-in one and counting its calls.
let kernelCalls = CallCount()
var kernels = CPUKernelRegistry.standard
guard let builtIn = try kernels.resolve().kernel(for: .q4_K) else {
    print("no built-in Q4_K kernel")
    exit(1)
}
let counting = CPUMatrixKernel(activations: builtIn.activationFormat, variant: builtIn.variant) { operands in
    kernelCalls.add()
    builtIn.dot(operands)
}
kernels.register(counting, for: .q4_K, name: "counting", priority: 1000)
let onKernel = try await Model.load(from: url, options: LoadOptions(backend: .cpu(kernels: kernels)))
try await chat(onKernel)
print("Q4_K kernel calls: \(kernelCalls.total)")

// (b) A whole backend from a provider, which .auto ranks above the built-in ones.
let executions = ExecutionCounter()
let onBackend = try await loadCounting(url, executions: executions)
print("backend: \(onBackend.info.backend)")
try await chat(onBackend)
print("graph executions: \(executions.value)")
SWIFT
swift build -c release --package-path "$work/consumer" >&2
"$work/consumer/.build/release/Consumer" "$model"
