// swift-tools-version:6.0
// An app outside Minnow that registers its own CPU kernel for Q8_0 weights and chats with it.
import PackageDescription

let package = Package(
    name: "KernelPlugin",
    platforms: [.macOS(.v15)],
    dependencies: [
        // An app would write: .package(url: "https://…/minnow", from: "0.1.0")
        .package(name: "Minnow", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "KernelPlugin",
            dependencies: [
                .product(name: "Minnow", package: "Minnow"),
                .product(name: "MinnowBackendSDK", package: "Minnow"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
