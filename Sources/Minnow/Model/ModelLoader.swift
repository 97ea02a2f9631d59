import Foundation
import MinnowEngine
import MinnowGGUF

/// Loads a GGUF file into a ``Model``: file checks, memory check, tokenizer, template, engine.
package enum ModelLoader {
    static func load(
        from url: URL, options: LoadOptions, progress: @escaping @Sendable (LoadProgress) -> Void
    ) async throws -> Model {
        progress(LoadProgress(stage: .readingMetadata, fractionCompleted: 0))
        let fileSize = try checkFile(url)
        if options.checksAvailableMemory {
            // A first check before anything is mapped: the weights alone must fit.
            try MemoryCheck.ensureAvailable(fileSize + MemoryCheck.overhead)
        }
        let file = try openFile(url)
        let config: TransformerConfig
        do {
            config = try TransformerConfig(metadata: file.metadata)
        } catch let error as ModelConfigError {
            throw translate(error)
        }
        let contextLength = max(16, options.contextLength
            ?? min(config.trainedContextLength, LoadOptions.defaultContextLength))
        progress(LoadProgress(stage: .checkingMemory, fractionCompleted: 0.1))
        if options.checksAvailableMemory {
            let kvBytes = KVCacheSpec(layers: config.blockCount, width: config.kvWidth, capacity: contextLength,
                                      type: options.kvCacheType).byteCount
            try MemoryCheck.ensureAvailable(fileSize + kvBytes + MemoryCheck.overhead)
        }
        progress(LoadProgress(stage: .preparingTokenizer, fractionCompleted: 0.2))
        let codec = try TokenizerCodec(file: file)
        let renderer = try options.chatTemplateFile.map { try templateRenderer(from: $0, model: file) }
            ?? TemplateRenderer(file: file)
        progress(LoadProgress(stage: .loadingWeights, fractionCompleted: 0.3))
        let runtime = try makeRuntime(file: file, options: options, contextLength: contextLength)
        let name = file.metadata.string("general.name") ?? url.deletingPathExtension().lastPathComponent
        let info = ModelInfo(
            name: name, architecture: config.architecture.rawValue, contextLength: contextLength,
            trainedContextLength: config.trainedContextLength, vocabularySize: runtime.model.vocabularySize,
            fileSize: fileSize, backend: "\(runtime.backend.name): \(runtime.backend.deviceDescription)", backendNote: runtime.backendNote,
            cpuKernels: (runtime.backend as? CPUBackend)?.kernels.variant.rawValue)
        progress(LoadProgress(stage: .ready, fractionCompleted: 1))
        return Model(info: info, runtime: runtime, codec: codec, renderer: renderer,
                     identity: ModelIdentity.of(url, fileSize: fileSize))
    }

    /// The engine model on the chosen backend, weights prepared.
    static func makeRuntime(file: GGUFFile, options: LoadOptions, contextLength: Int) throws -> EngineRuntime {
        let model: TransformerModel
        do {
            model = try TransformerLoader.model(from: file)
        } catch let error as ModelConfigError {
            throw translate(error)
        } catch let error as GGUFError {
            throw ModelError.invalidFormat(error.description)
        }
        let cacheType = options.kvCacheType
        let backend: any Backend
        let note: String?
        do {
            let selection = try options.backend.select(for: model, cacheCapacity: contextLength, cacheType: cacheType,
                                                       providers: options.backendProviders, cpuKernels: options.cpuKernels)
            (backend, note) = (selection.backend, selection.note)
        } catch let error as BackendError {
            throw translate(error, model: model)
        }
        let weights: any LoadedWeights
        do {
            weights = try backend.loadWeights(model.weights)
        } catch let error as BackendError {
            if case .badWeight = error { throw ModelError.invalidFormat(error.description) }
            throw translate(error, model: model)
        } catch {
            // Device errors (VulkanError: out of device memory, a failed Vulkan call).
            throw ModelError.backendUnavailable("\(error)")
        }
        return EngineRuntime(model: model, backend: backend, weights: weights, capacity: contextLength,
                             cacheType: cacheType, backendNote: note)
    }

    static func translate(_ error: BackendError, model: TransformerModel) -> ModelError {
        switch error {
        case .unsupported(_, let type?, _):
            let tensor = model.weights.infos.first { $0.type == type }?.name ?? "?"
            return .unsupportedTensorType(tensor: tensor, type: type.name)
        case .unavailable(let why): return .backendUnavailable(why)
        default: return .backendUnavailable(error.description)
        }
    }

    static func openFile(_ url: URL) throws -> GGUFFile {
        do {
            return try GGUFFile.open(url, mode: .full)
        } catch {
            switch error {
            case .cannotOpen(let path, let reason): throw ModelError.unreadableFile(path: path, reason: reason)
            default: throw ModelError.invalidFormat(error.description)
            }
        }
    }

    /// The renderer of a chat template file: a GGUF file's template, or a Jinja text file's.
    static func templateRenderer(from url: URL, model: GGUFFile) throws -> TemplateRenderer {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        if data.starts(with: Array("GGUF".utf8)) {
            do {
                return TemplateRenderer(file: try GGUFFile.open(url, mode: .metadataOnly))
            } catch {
                throw ModelError.invalidFormat("chat template file \(url.path): \(error.description)")
            }
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw ModelError.invalidTokenizer("chat template file \(url.path) is neither GGUF nor UTF-8 text")
        }
        return TemplateRenderer(source: source, tokenTextsFrom: model)
    }

    static func translate(_ error: ModelConfigError) -> ModelError {
        switch error {
        case .unsupportedArchitecture(let name): return .unsupportedArchitecture(name)
        default: return .invalidFormat(error.description)
        }
    }

    /// Checks that `url` is a readable file that starts with the GGUF magic; returns its size.
    package static func checkFile(_ url: URL) throws -> Int {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ModelError.fileNotFound(path: path)
        }
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw ModelError.unreadableFile(path: path, reason: error.localizedDescription)
        }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 4)) ?? nil
        guard let magic, magic.elementsEqual("GGUF".utf8) else {
            throw ModelError.invalidFormat("\(url.lastPathComponent) does not start with the GGUF magic")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }
}
