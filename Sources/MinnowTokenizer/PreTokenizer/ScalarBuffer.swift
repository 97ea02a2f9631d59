/// A piece of UTF-8 text decoded once into scalars, their classes and their byte offsets,
/// which the splitters scan and the encoder slices. Reused across fragments to avoid allocation.
struct ScalarBuffer {
    /// The scalar values.
    var scalars: [UInt32] = []
    /// The ``ScalarClass`` bits of each scalar.
    var classes: [UInt8] = []
    /// The byte offset of each scalar in the source, plus the end offset.
    var byteOffsets: [Int] = []

    /// The number of scalars.
    var count: Int { scalars.count }

    /// Replaces the contents with the scalars of valid UTF-8 `bytes`.
    mutating func load(_ bytes: UnsafeBufferPointer<UInt8>) {
        scalars.removeAll(keepingCapacity: true)
        classes.removeAll(keepingCapacity: true)
        byteOffsets.removeAll(keepingCapacity: true)
        scalars.reserveCapacity(bytes.count)
        classes.reserveCapacity(bytes.count)
        byteOffsets.reserveCapacity(bytes.count + 1)
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            var value: UInt32
            var length: Int
            if lead < 0x80 {
                value = UInt32(lead)
                length = 1
            } else if lead < 0xE0 {
                value = UInt32(lead & 0x1F)
                length = 2
            } else if lead < 0xF0 {
                value = UInt32(lead & 0x0F)
                length = 3
            } else {
                value = UInt32(lead & 0x07)
                length = 4
            }
            // The input comes from a Swift String, so it is valid UTF-8; still never read past the end.
            if index + length > count { length = count - index }
            var next = index + 1
            while next < index + length {
                value = (value << 6) | UInt32(bytes[next] & 0x3F)
                next += 1
            }
            scalars.append(value)
            classes.append(ScalarClass.of(value))
            byteOffsets.append(index)
            index += length
        }
        byteOffsets.append(count)
    }
}
