import Foundation

/// A hash that tells models apart: FNV-1a (64-bit) over the file size, the first 8 MiB of the
/// GGUF file (its metadata, tokenizer and tensor table, and the first weights) and its last
/// MiB (the last weights). Reading all the weights would make loading slower for little gain:
/// two files that agree on all of that are the same model for any practical purpose.
enum ModelIdentity {
    static let headBytes = 8 << 20
    static let tailBytes = 1 << 20

    /// The identity of the file at `url`, as 16 hex digits; nil when it cannot be read.
    static func of(_ url: URL, fileSize: Int) -> String? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var hash = FNV1a()
        withUnsafeBytes(of: UInt64(fileSize).littleEndian) { hash.add($0) }
        guard let head = try? handle.read(upToCount: min(headBytes, fileSize)) else { return nil }
        head.withUnsafeBytes { hash.add($0) }
        if fileSize > headBytes {
            let start = max(headBytes, fileSize - tailBytes)
            guard (try? handle.seek(toOffset: UInt64(start))) != nil,
                  let tail = try? handle.read(upToCount: fileSize - start) else { return nil }
            tail.withUnsafeBytes { hash.add($0) }
        }
        return hash.hex
    }
}

/// The 64-bit FNV-1a hash, fed in pieces.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// Adds bytes.
    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var h = value
        for byte in bytes {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        value = h
    }

    /// The hash as 16 hex digits.
    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
