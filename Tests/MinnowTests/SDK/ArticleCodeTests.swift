import Foundation
import Testing

/// The articles' code is the code of ArticleCode.swift and of Examples/KernelPlugin's kernel
/// (linked into KernelPlugin/), which this target compiles: every Swift block of the two SDK
/// articles must appear there verbatim.
@Suite struct ArticleCodeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The ```swift blocks of a Markdown text.
    static func swiftBlocks(_ markdown: String) -> [String] {
        let parts = markdown.components(separatedBy: "```swift\n")
        return parts.dropFirst().compactMap { $0.components(separatedBy: "\n```").first }
    }

    @Test(arguments: ["WritingAKernelPlugin.md", "WritingABackend.md"])
    func everyBlockIsCompiled(article: String) throws {
        let docs = Self.root.appendingPathComponent("Sources/MinnowBackendSDK/MinnowBackendSDK.docc")
        let text = try String(contentsOf: docs.appendingPathComponent(article), encoding: .utf8)
        let sdk = Self.root.appendingPathComponent("Tests/MinnowTests/SDK")
        let files = ["ArticleCode.swift", "KernelPlugin/Q8_0Block.swift", "KernelPlugin/PlainQ8_0Kernel.swift",
                     "KernelPlugin/CallCount.swift"]
        let code = try files.map { try String(contentsOf: sdk.appendingPathComponent($0), encoding: .utf8) }
            .joined(separator: "\n")
        let blocks = Self.swiftBlocks(text)
        #expect(!blocks.isEmpty)
        for block in blocks {
            #expect(code.contains(block), "\(article): a block not in the compiled code:\n\(block)")
        }
    }
}
