/// Everything that can go wrong while opening or reading a GGUF file.
///
/// Every case that comes from the file's bytes carries the byte offset where the problem
/// was found, so that a broken or hostile file can be diagnosed with a hex dump.
public enum GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, inspected or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file has no bytes at all.
    case emptyFile
    /// The file ends before `needed` bytes of `what` could be read at `offset`.
    case truncated(what: String, offset: Int, needed: Int, available: Int)
    /// The first four bytes are not `GGUF`.
    case badMagic(found: [UInt8])
    /// The format version is not 2 or 3.
    case unsupportedVersion(UInt32)
    /// A count read at `offset` cannot fit in the rest of the file.
    case countTooLarge(what: String, count: UInt64, offset: Int, limit: Int)
    /// A string length read at `offset` runs past the end of the file.
    case stringTooLong(what: String, length: UInt64, offset: Int, available: Int)
    /// A metadata value type id that GGUF does not define.
    case unknownValueType(id: UInt32, key: String, offset: Int)
    /// Arrays nested deeper than the reader accepts.
    case nestingTooDeep(key: String, offset: Int)
    /// The same metadata key appears twice.
    case duplicateKey(String, offset: Int)
    /// A metadata value has a type or value the reader cannot accept for its key.
    case invalidMetadata(key: String, reason: String, offset: Int)
    /// A tensor type id that ggml does not define.
    case unknownTensorType(id: UInt32, tensor: String, offset: Int)
    /// A tensor info is inconsistent (dimensions, size, alignment).
    case invalidTensor(name: String, reason: String, offset: Int)
    /// The same tensor name appears twice.
    case duplicateTensor(String, offset: Int)
    /// A tensor's data, at absolute `offset` and ending at `end`, is not inside the file.
    case tensorDataTruncated(tensor: String, offset: Int, end: Int, fileSize: Int)
    /// A tensor's bytes were asked for but the tensor does not belong to this file or is not mapped.
    case tensorNotAvailable(String)

    /// The byte offset in the file where the problem was found, when it comes from the file.
    public var offset: Int? {
        switch self {
        case .cannotOpen, .emptyFile, .tensorNotAvailable: return nil
        case .badMagic: return 0
        case .unsupportedVersion: return 4
        case .truncated(_, let offset, _, _), .countTooLarge(_, _, let offset, _),
             .stringTooLong(_, _, let offset, _), .unknownValueType(_, _, let offset),
             .nestingTooDeep(_, let offset), .duplicateKey(_, let offset),
             .invalidMetadata(_, _, let offset), .unknownTensorType(_, _, let offset),
             .invalidTensor(_, _, let offset), .duplicateTensor(_, let offset),
             .tensorDataTruncated(_, let offset, _, _):
            return offset
        }
    }

    /// A one-line, human-readable explanation; names from the file are escaped and clipped.
    public var description: String {
        Self.escapingControlCharacters(rawDescription)
    }

    /// A name taken from a (possibly hostile) file, clipped to a readable length.
    private static func display(_ name: String) -> String {
        name.count > 120 ? String(name.prefix(117)) + "..." : name
    }

    /// Control characters (a newline in a key name, say) written as `\u{..}`, so the message stays one line.
    private static func escapingControlCharacters(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private var rawDescription: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \(path): \(reason)"
        case .emptyFile:
            return "not a GGUF file: the file is empty"
        case .truncated(let what, let offset, let needed, let available):
            return "truncated GGUF: \(Self.display(what)) needs \(needed) bytes at offset \(offset), only \(max(0, available)) left"
        case .badMagic(let found):
            let hex = found.map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            return "not a GGUF file: bad magic [\(hex)] at offset 0 (expected 47 47 55 46, \"GGUF\")"
        case .unsupportedVersion(let version):
            let hint = version > 0xFFFF ? " (a big-endian GGUF?)" : ""
            return "unsupported GGUF version \(version) at offset 4\(hint); versions 2 and 3 are supported"
        case .countTooLarge(let what, let count, let offset, let limit):
            return "invalid GGUF: \(Self.display(what)) \(count) at offset \(offset) cannot fit in the file (at most \(limit))"
        case .stringTooLong(let what, let length, let offset, let available):
            return "invalid GGUF: \(Self.display(what)) has length \(length) at offset \(offset), only \(max(0, available)) bytes left"
        case .unknownValueType(let id, let key, let offset):
            return "invalid GGUF: unknown metadata value type \(id) for key '\(Self.display(key))' at offset \(offset)"
        case .nestingTooDeep(let key, let offset):
            return "invalid GGUF: arrays nested too deeply in key '\(Self.display(key))' at offset \(offset)"
        case .duplicateKey(let key, let offset):
            return "invalid GGUF: duplicate metadata key '\(Self.display(key))' at offset \(offset)"
        case .invalidMetadata(let key, let reason, let offset):
            return "invalid GGUF: metadata '\(Self.display(key))' at offset \(offset): \(reason)"
        case .unknownTensorType(let id, let tensor, let offset):
            return "invalid GGUF: unknown tensor type id \(id) for tensor '\(Self.display(tensor))' at offset \(offset)"
        case .invalidTensor(let name, let reason, let offset):
            return "invalid GGUF: tensor '\(Self.display(name))' (info at offset \(offset)): \(reason)"
        case .duplicateTensor(let name, let offset):
            return "invalid GGUF: duplicate tensor name '\(Self.display(name))' at offset \(offset)"
        case .tensorDataTruncated(let tensor, let offset, let end, let fileSize):
            return "tensor data truncated: tensor '\(Self.display(tensor))' spans bytes \(offset)..<\(end) but the file has \(fileSize) bytes"
        case .tensorNotAvailable(let name):
            return "tensor '\(Self.display(name))' is not mapped in this file"
        }
    }
}
