import Foundation

/// Loads a GGUF file into a ``Model``: file checks, memory check, tokenizer, template, engine.
package enum ModelLoader {
    static func load(
        from url: URL, options: LoadOptions, progress: @escaping @Sendable (LoadProgress) -> Void
    ) async throws -> Model {
        progress(LoadProgress(stage: .readingMetadata, fractionCompleted: 0))
        let fileSize = try checkFile(url)
        progress(LoadProgress(stage: .checkingMemory, fractionCompleted: 0.1))
        if options.checksAvailableMemory {
            try MemoryCheck.ensureAvailable(fileSize + MemoryCheck.overhead)
        }
        throw ModelError.backendUnavailable("the inference engine is not available in this build yet")
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
