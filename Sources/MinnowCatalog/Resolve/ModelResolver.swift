import Foundation

/// Turns a `--model` argument (a file path or a catalog name) into a model file, downloading a
/// catalog model when it is not cached, and falling back to the first reachable catalog model
/// when the requested one cannot be fetched.
public struct ModelResolver: Sendable {
    /// What a `--model` argument names.
    public enum Reference: Sendable, Equatable {
        /// A GGUF file on disk.
        case file(URL)
        /// A catalog model.
        case catalog(CatalogModel)
    }

    /// The model file chosen, and how.
    public struct Resolution: Sendable, Equatable {
        /// The GGUF file to load.
        public var file: URL
        /// The catalog model, when the argument was not a path.
        public var model: CatalogModel?
        /// The catalog name asked for, when another model is used instead.
        public var fellBackFrom: String?
    }

    /// Downloads models.
    public var fetcher: ModelFetcher
    /// The catalog models, in fallback order.
    public var catalog: [CatalogModel]
    /// Whether an unreachable catalog model is replaced by the first reachable one.
    public var fallsBack: Bool

    /// A resolver.
    public init(fetcher: ModelFetcher = .init(), catalog: [CatalogModel] = Catalog.models, fallsBack: Bool = true) {
        self.fetcher = fetcher
        self.catalog = catalog
        self.fallsBack = fallsBack
    }

    /// What `argument` names: an existing file, else a catalog name. A path-like argument
    /// (with a `/` or ending in `.gguf`) that is not a file is an error.
    public func reference(for argument: String) throws(CatalogError) -> Reference {
        let expanded = (argument as NSString).expandingTildeInPath
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: expanded, isDirectory: &isDirectory), !isDirectory.boolValue {
            return .file(URL(fileURLWithPath: expanded))
        }
        if let model = catalog.first(where: { $0.name == argument.lowercased() }) { return .catalog(model) }
        if argument.contains("/") || argument.lowercased().hasSuffix(".gguf") {
            throw .fileSystem(path: expanded, reason: "no such model file")
        }
        throw .unknownModel(argument, known: catalog.map(\.name))
    }

    /// The model file for `argument` (nil: the default catalog model).
    public func resolve(_ argument: String?) async throws(CatalogError) -> Resolution {
        let name = argument ?? Catalog.defaultName
        let requested: CatalogModel
        switch try reference(for: name) {
        case .file(let url): return Resolution(file: url, model: nil, fellBackFrom: nil)
        case .catalog(let model): requested = model
        }
        var failures: [String] = []
        do {
            return Resolution(file: try await fetcher.fetch(requested), model: requested, fellBackFrom: nil)
        } catch {
            if error == .cancelled || !fallsBack { throw error }
            failures.append("\(requested.name): \(error.description)")
            fetcher.log("\(requested.name) cannot be fetched (\(error.description)); trying the other catalog models")
        }
        for candidate in catalog where candidate.name != requested.name {
            do {
                let file = try await fetcher.fetch(candidate)
                fetcher.log("using \(candidate.name) instead of \(requested.name) (the first reachable catalog model)")
                return Resolution(file: file, model: candidate, fellBackFrom: requested.name)
            } catch {
                if error == .cancelled { throw error }
                failures.append("\(candidate.name): \(error.description)")
            }
        }
        throw .nothingReachable(failures)
    }
}
