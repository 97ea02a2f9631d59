#!/usr/bin/env bash
# Builds a package OUTSIDE this repository that depends on Minnow BY VERSION, and runs it on a
# model: the "done when" check of the public API issue.
#
#   Scripts/check-consumer-package.sh MODEL.gguf [WORKDIR]
#
# It clones the committed HEAD of this repository into WORKDIR, tags the clone 0.1.0, writes a
# consumer package that uses `.package(url: "file://…/minnow", from: "0.1.0")` and the exact
# code of the issue, builds it in release mode and runs it. Prints the program's output.
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
    ],
    targets: [
        .executableTarget(name: "Consumer", dependencies: [.product(name: "Minnow", package: "minnow")]),
    ]
)
SWIFT
cat > "$work/consumer/Sources/Consumer/main.swift" <<'SWIFT'
import Foundation
import Minnow

let path = CommandLine.arguments[1]

let model = try await Model.load(from: URL(fileURLWithPath: path))
let chat = ChatSession(model: model, instructions: "Answer in one short sentence.")
var answer = ""
for try await event in chat.stream("What is the capital of France?") {
    switch event {
    case .reasoning: break
    case .text(let piece): answer += piece
    case .done(let stats): print(stats.promptTokens, stats.cachedTokens, stats.generatedTokens)
    }
}
let reply = try await chat.respond(to: "And of Germany?")
print(answer, reply.answer)
SWIFT
swift build -c release --package-path "$work/consumer" >&2
"$work/consumer/.build/release/Consumer" "$model"
