/// A bounds-checked little-endian reader over the bytes of a GGUF file.
///
/// Every read checks the remaining length first and throws ``GGUFError/truncated`` instead
/// of reading past the end.
struct GGUFCursor {
    let buffer: UnsafeRawBufferPointer
    var position: Int

    init(_ buffer: UnsafeRawBufferPointer, at position: Int = 0) {
        self.buffer = buffer
        self.position = position
    }

    /// Bytes left after the current position.
    var remaining: Int { buffer.count - position }

    /// Throws unless `count` more bytes are available.
    @inline(__always)
    func require(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) {
        if count < 0 || count > remaining {
            throw .truncated(what: what(), offset: position, needed: count, available: remaining)
        }
    }

    @inline(__always)
    mutating func read<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws(GGUFError) -> T {
        try require(MemoryLayout<T>.size, what())
        let value = T(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: T.self))
        position += MemoryLayout<T>.size
        return value
    }

    /// Advances by `count` bytes that have already been checked with ``require(_:_:)``.
    @inline(__always)
    mutating func skip(_ count: Int) {
        position += count
    }

    /// Reads a length-prefixed string's bytes, checking the length against the file.
    mutating func readStringBytes(_ what: @autoclosure () -> String) throws(GGUFError) -> UnsafeRawBufferPointer {
        let lengthOffset = position
        let length = try read(UInt64.self, what() + " length")
        guard length <= UInt64(remaining) else {
            throw .stringTooLong(what: what(), length: length, offset: lengthOffset, available: remaining)
        }
        let start = position
        position += Int(length)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<position])
    }

    /// Reads a length-prefixed string; invalid UTF-8 is repaired, not trapped on.
    mutating func readString(_ what: @autoclosure () -> String) throws(GGUFError) -> String {
        String(decoding: try readStringBytes(what()), as: UTF8.self)
    }
}
