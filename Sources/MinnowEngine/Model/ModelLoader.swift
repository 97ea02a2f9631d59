import Foundation
import MinnowGGUF

extension GGUFMetadata: ModelMetadata {}

/// Builds a ``TransformerModel`` from a GGUF file whose tensors stay in the file's memory map.
package enum ModelLoader {
    /// Opens `url` (all tensor data must be present) and reads the model.
    package static func load(_ url: URL) throws -> TransformerModel {
        try model(from: GGUFFile.open(url, mode: .full))
    }

    /// The model described by an open file. Its weights point into the file's map and keep
    /// the file alive.
    package static func model(from file: GGUFFile) throws -> TransformerModel {
        let config = try TransformerConfig(metadata: file.metadata)
        var infos: [WeightInfo] = []
        var data: [UnsafeRawBufferPointer] = []
        infos.reserveCapacity(file.tensors.count)
        data.reserveCapacity(file.tensors.count)
        for tensor in file.tensors {
            infos.append(WeightInfo(name: tensor.name, type: tensor.type, shape: tensor.shape))
            data.append(try file.bytes(of: tensor))
        }
        return try TransformerModel(config: config, weights: WeightSet(infos: infos, data: data, owner: file))
    }
}

/// Which backend to run on.
package enum BackendChoice: Sendable, Equatable {
    /// The CPU with this many threads (nil: one per core).
    case cpu(threads: Int?)
    /// A registered backend by name, such as `vulkan`.
    case named(String)
    /// The best available: a registered GPU backend that supports the model, else the CPU.
    case auto(threads: Int?)
}

/// Backends other than the CPU register a factory here (the Vulkan module does at load time).
package enum BackendRegistry {
    /// Makes a backend, or throws why it is unavailable.
    package typealias Factory = @Sendable () throws -> any Backend

    private static let lock = NSLock()
    nonisolated(unsafe) private static var factories: [String: Factory] = [:]

    /// Registers `factory` under `name`.
    package static func register(_ name: String, _ factory: @escaping Factory) {
        lock.lock(); defer { lock.unlock() }
        factories[name] = factory
    }

    /// The registered names.
    package static var names: [String] {
        lock.lock(); defer { lock.unlock() }
        return factories.keys.sorted()
    }

    private static func factory(_ name: String) -> Factory? {
        lock.lock(); defer { lock.unlock() }
        return factories[name]
    }

    /// The backend for `choice` that can run `model`.
    package static func make(_ choice: BackendChoice, for model: TransformerModel) throws -> any Backend {
        switch choice {
        case .cpu(let threads):
            return CPUBackend(threads: threads ?? CPUBackend.defaultThreadCount)
        case .named(let name):
            if name == "cpu" { return CPUBackend() }
            guard let factory = factory(name) else {
                throw BackendError.unavailable("no backend named '\(name)' in this build (available: \((["cpu"] + names).joined(separator: ", ")))")
            }
            let backend = try factory()
            try backend.validate(model.graph(batchSize: 1, allLogits: false), weights: model.weights)
            return backend
        case .auto(let threads):
            for name in names where name != "cpu" {
                if let factory = factory(name), let backend = try? factory(),
                   (try? backend.validate(model.graph(batchSize: 1, allLogits: false), weights: model.weights)) != nil {
                    return backend
                }
            }
            return CPUBackend(threads: threads ?? CPUBackend.defaultThreadCount)
        }
    }
}
