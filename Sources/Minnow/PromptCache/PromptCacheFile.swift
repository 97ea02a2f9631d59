import Foundation
import MinnowEngine

/// What a prompt cache file holds besides the keys and values: what it was saved from and what
/// it needs to be restored.
struct PromptCacheHeader: Codable, Equatable {
    /// What was saved.
    enum Kind: String, Codable {
        /// A ``ChatSession``: its transcript and KV cache.
        case chatSession = "chat session"
        /// A raw token prefix (``Model/savePromptCache(prompt:to:)``).
        case tokenPrefix = "token prefix"
    }

    var kind: Kind
    /// ``ModelIdentity`` of the model it was saved from.
    var modelIdentity: String
    /// That model's name, for messages.
    var modelName: String
    /// That model's context length when saved.
    var contextLength: Int
    /// The KV cache element type (`f16`, `f32`).
    var cacheType: String
    /// Number of cached tokens.
    var tokenCount: Int
    /// Layers and values per position of the saved keys and values.
    var layers: Int
    var width: Int
    /// Bytes after the header: the tokens (4 each) and the keys and values.
    var payloadBytes: Int
    /// For a chat session: its transcript and the first turn still shown to the model.
    var transcript: [ChatMessage]?
    var firstShownTurn: Int?
}

/// The file format of prompt caches:
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `MINNOWPC` |
/// | 4 | format version (1), little-endian |
/// | 4 | header length `h`, little-endian |
/// | h | ``PromptCacheHeader`` as JSON |
/// | 4·n | the `n` cached tokens, Int32 little-endian |
/// | k | keys and values (``SessionSnapshot/bytes``) |
/// | 8 | FNV-1a 64 of everything before, little-endian |
///
/// Files are written to a temporary file in the same folder and renamed into place, so a
/// reader sees either the old file or the whole new one.
enum PromptCacheFile {
    static let magic = Array("MINNOWPC".utf8)
    static let version: UInt32 = 1
    /// Refuse headers larger than this before reading them (a transcript of a long chat fits).
    static let maxHeaderBytes = 64 << 20

    /// Writes `header` and `snapshot` to `url` atomically.
    static func write(header: PromptCacheHeader, snapshot: SessionSnapshot, to url: URL) throws {
        var header = header
        header.tokenCount = snapshot.tokens.count
        header.layers = snapshot.layers
        header.width = snapshot.width
        header.cacheType = snapshot.type.rawValue
        header.payloadBytes = 4 * snapshot.tokens.count + snapshot.bytes.count
        let json: Data
        do {
            json = try JSONEncoder().encode(header)
        } catch {
            throw PromptCacheError.io("cannot encode the header: \(error)")
        }
        var data = Data(capacity: 16 + json.count + header.payloadBytes + 8)
        data.append(contentsOf: magic)
        append(&data, UInt32(version))
        append(&data, UInt32(json.count))
        data.append(json)
        var tokenBytes = [UInt8](repeating: 0, count: 4 * snapshot.tokens.count)
        for (index, token) in snapshot.tokens.enumerated() {
            withUnsafeBytes(of: token.littleEndian) { tokenBytes.replaceSubrange((4 * index)..<(4 * index + 4), with: $0) }
        }
        data.append(contentsOf: tokenBytes)
        data.append(contentsOf: snapshot.bytes)
        var hash = FNV1a()
        data.withUnsafeBytes { hash.add($0) }
        append(&data, hash.value)
        try writeAtomically(data, to: url)
    }

    /// Reads and checks the file at `url`: magic, version, length, header and checksum. The
    /// caller checks that it matches the model.
    static func read(_ url: URL) throws -> (PromptCacheHeader, SessionSnapshot) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw PromptCacheError.io("cannot read \(url.path): \(error.localizedDescription)")
        }
        return try data.withUnsafeBytes { raw in try parse(raw, path: url.path) }
    }

    static func parse(_ raw: UnsafeRawBufferPointer, path: String) throws -> (PromptCacheHeader, SessionSnapshot) {
        let size = raw.count
        let prefix = min(size, magic.count)
        guard raw.prefix(prefix).elementsEqual(magic.prefix(prefix)) else {
            throw PromptCacheError.notAPromptCache(path: path)
        }
        guard size >= 16 else { throw PromptCacheError.truncated(expectedBytes: 16, actualBytes: size) }
        let fileVersion = uint32(raw, at: 8)
        guard fileVersion == version else { throw PromptCacheError.unsupportedVersion(Int(fileVersion)) }
        let headerLength = Int(uint32(raw, at: 12))
        guard headerLength <= maxHeaderBytes else {
            throw PromptCacheError.corrupted("a header of \(headerLength) bytes")
        }
        guard size >= 16 + headerLength else {
            throw PromptCacheError.truncated(expectedBytes: 16 + headerLength + 8, actualBytes: size)
        }
        let header: PromptCacheHeader
        do {
            header = try JSONDecoder().decode(PromptCacheHeader.self, from: Data(raw[16..<(16 + headerLength)]))
        } catch {
            throw PromptCacheError.corrupted("the header cannot be read")
        }
        guard header.tokenCount >= 0, header.layers > 0, header.width > 0, header.payloadBytes >= 0,
              let type = KVCacheType(rawValue: header.cacheType) else {
            throw PromptCacheError.corrupted("the header has impossible values")
        }
        let kvBytes = SessionSnapshot.byteCount(layers: header.layers, width: header.width, type: type,
                                                count: header.tokenCount)
        guard header.payloadBytes == 4 * header.tokenCount + kvBytes else {
            throw PromptCacheError.corrupted("the header's sizes disagree")
        }
        let expected = 16 + headerLength + header.payloadBytes + 8
        guard size >= expected else { throw PromptCacheError.truncated(expectedBytes: expected, actualBytes: size) }
        guard size == expected else { throw PromptCacheError.corrupted("\(size - expected) bytes after the end") }
        var hash = FNV1a()
        hash.add(UnsafeRawBufferPointer(rebasing: raw[0..<(expected - 8)]))
        let stored = UInt64(uint32(raw, at: expected - 8)) | UInt64(uint32(raw, at: expected - 4)) << 32
        guard stored == hash.value else { throw PromptCacheError.corrupted("checksum mismatch") }
        let tokenStart = 16 + headerLength
        let tokens = (0..<header.tokenCount).map { Int32(bitPattern: uint32(raw, at: tokenStart + 4 * $0)) }
        let kvStart = tokenStart + 4 * header.tokenCount
        let snapshot = SessionSnapshot(tokens: tokens, layers: header.layers, width: header.width, type: type,
                                       bytes: Array(raw[kvStart..<(kvStart + kvBytes)]))
        return (header, snapshot)
    }

    private static func uint32(_ raw: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        var value: UInt32 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + 4)])) }
        return UInt32(littleEndian: value)
    }

    private static func append<T: FixedWidthInteger>(_ data: inout Data, _ value: T) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    /// Writes `data` to a temporary file next to `url`, flushes it, and renames it over `url`.
    static func writeAtomically(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(
            ".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw PromptCacheError.io("cannot create \(temporary.path)")
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            do {
                try handle.write(contentsOf: data)
                try handle.synchronize()
                try handle.close()
            } catch {
                try? handle.close()
                throw error
            }
            if rename(temporary.path, url.path) != 0 {
                throw PromptCacheError.io("cannot rename \(temporary.path) to \(url.path): errno \(errno)")
            }
        } catch let error as PromptCacheError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw PromptCacheError.io("cannot write \(url.path): \(error.localizedDescription)")
        }
    }
}
