import Foundation

/// An open GGUF file: its metadata, its tensor infos, and its tensor data memory-mapped.
///
/// Opening reads and validates the header only; tensor data is mapped read-only and never
/// copied. The mapping is released when the last reference to the file goes away, so the
/// buffers returned by ``bytes(of:)`` are valid only while the `GGUFFile` is alive.
public final class GGUFFile: Sendable {
    /// How much of the file must be present.
    public enum LoadMode: Sendable {
        /// Header and all tensor data must be in the file.
        case full
        /// Only the header is required; tensor data may be cut or missing (tokenizer, template use).
        case metadataOnly
    }

    /// The file this was opened from, or nil when parsed from memory.
    public let url: URL?
    /// The mode the file was opened in.
    public let mode: LoadMode
    /// The GGUF format version (2 or 3).
    public let version: Int
    /// The key-value metadata.
    public let metadata: GGUFMetadata
    /// The tensor infos, in file order, with absolute offsets.
    public let tensors: [GGUFTensorInfo]
    /// The data alignment (`general.alignment`, default 32).
    public let alignment: Int
    /// The absolute offset of the tensor data section.
    public let dataOffset: Int

    let storage: GGUFStorage

    /// Drops the file pages of `bytes` (tensor data of this file) from the process's resident
    /// memory, for data that has been copied elsewhere; see ``GGUFStorage/releaseResidentPages(of:)``.
    package func releaseResidentPages(of bytes: UnsafeRawBufferPointer) {
        storage.releaseResidentPages(of: bytes)
    }
    private let tensorIndex: [String: Int]

    private init(url: URL?, mode: LoadMode, storage: GGUFStorage) throws(GGUFError) {
        let header = try GGUFHeaderParser.parse(storage, mode: mode)
        self.url = url
        self.mode = mode
        self.storage = storage
        version = Int(header.version)
        metadata = header.metadata
        tensors = header.tensors
        alignment = header.alignment
        dataOffset = header.dataOffset
        var index: [String: Int] = [:]
        index.reserveCapacity(tensors.count)
        for (position, tensor) in tensors.enumerated() { index[tensor.name] = position }
        tensorIndex = index
    }

    /// Opens and memory-maps the GGUF file at `url`, validating its header.
    public static func open(_ url: URL, mode: LoadMode = .full) throws(GGUFError) -> GGUFFile {
        let storage = try GGUFStorage(mapping: url.path)
        return try GGUFFile(url: url, mode: mode, storage: storage)
    }

    /// Parses a GGUF file held in memory (the bytes are copied once).
    public static func parse(_ bytes: some Collection<UInt8>, mode: LoadMode = .full) throws(GGUFError) -> GGUFFile {
        try GGUFFile(url: nil, mode: mode, storage: GGUFStorage(copying: bytes))
    }

    /// Parses a GGUF file in `buffer` without copying it (fuzzing, tests). The caller keeps the
    /// bytes alive and unchanged for as long as the returned file or any array from it is used.
    package static func parse(borrowing buffer: UnsafeRawBufferPointer, mode: LoadMode = .full) throws(GGUFError) -> GGUFFile {
        try GGUFFile(url: nil, mode: mode, storage: GGUFStorage(borrowing: buffer))
    }

    /// The size of the file in bytes.
    public var fileSize: Int { storage.buffer.count }

    /// `general.architecture`, such as `qwen2` or `llama`.
    public var architecture: String? { metadata.string("general.architecture") }

    /// The tensor named `name`.
    public func tensor(named name: String) -> GGUFTensorInfo? {
        tensorIndex[name].map { tensors[$0] }
    }

    /// The raw bytes of `tensor`'s data, pointing into the map (valid while this file lives).
    ///
    /// Throws ``GGUFError/tensorNotAvailable(_:)`` when the tensor is not one of this file's or
    /// its data is not in the file (possible in `.metadataOnly` mode).
    public func bytes(of tensor: GGUFTensorInfo) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard let position = tensorIndex[tensor.name], tensors[position] == tensor,
              tensor.offset >= 0, tensor.byteCount >= 0,
              tensor.byteCount <= storage.buffer.count - tensor.offset else {
            throw .tensorNotAvailable(tensor.name)
        }
        return UnsafeRawBufferPointer(rebasing: storage.buffer[tensor.offset..<(tensor.offset + tensor.byteCount)])
    }

    /// The raw bytes of the tensor named `name`.
    public func bytes(ofTensorNamed name: String) throws(GGUFError) -> UnsafeRawBufferPointer {
        guard let tensor = tensor(named: name) else { throw .tensorNotAvailable(name) }
        return try bytes(of: tensor)
    }
}
