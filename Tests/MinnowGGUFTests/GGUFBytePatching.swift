import MinnowGGUF

/// Helpers to find and overwrite fields of an encoded GGUF file.
extension Array where Element == UInt8 {
    /// The offset just after the first length-prefixed occurrence of `string`.
    func offsetAfter(string: String) -> Int? {
        var needle: [UInt8] = []
        Swift.withUnsafeBytes(of: UInt64(string.utf8.count).littleEndian) { needle.append(contentsOf: $0) }
        needle.append(contentsOf: string.utf8)
        guard count >= needle.count else { return nil }
        for start in 0...(count - needle.count) where self[start..<(start + needle.count)].elementsEqual(needle) {
            return start + needle.count
        }
        return nil
    }

    /// Overwrites the little-endian bytes of `value` at `offset`.
    mutating func patch<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        Swift.withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { self[offset + index] = byte }
        }
    }
}
