import Foundation
import MinnowGGUF

extension GGUFMetadata: ModelMetadata {}

/// Builds a ``TransformerModel`` from a GGUF file whose tensors stay in the file's memory map.
public enum TransformerLoader {
    /// Opens `url` (all tensor data must be present) and reads the model.
    public static func load(_ url: URL) throws -> TransformerModel {
        try model(from: GGUFFile.open(url, mode: .full))
    }

    /// The model described by an open file. Its weights point into the file's map and keep
    /// the file alive.
    public static func model(from file: GGUFFile) throws -> TransformerModel {
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
