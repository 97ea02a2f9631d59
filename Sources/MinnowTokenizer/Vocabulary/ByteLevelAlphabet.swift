/// GPT-2's byte-level alphabet: every byte is spelled by one printable Unicode scalar, so that
/// token texts and merges are valid strings. Printable Latin-1 bytes stand for themselves; the
/// other 68 bytes (controls, space, DEL, NBSP, soft hyphen...) map to U+0100 onwards, in byte order.
enum ByteLevelAlphabet {
    /// The scalar that spells each byte.
    static let scalarForByte: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = UInt32(byte)
            } else {
                table[byte] = next
                next += 1
            }
        }
        return table
    }()

    /// The byte spelled by each scalar below U+0144, or -1 for scalars outside the alphabet.
    static let byteForScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (byte, scalar) in scalarForByte.enumerated() {
            table[Int(scalar)] = Int16(byte)
        }
        return table
    }()

    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// Decodes UTF-8 `text` spelled in the alphabet into raw bytes written at `output`, which
    /// must have room for `text.count` bytes. Returns the number of bytes written, or -1 when a
    /// scalar is outside the alphabet or the UTF-8 is malformed.
    static func decode(_ text: UnsafeRawBufferPointer, into output: UnsafeMutablePointer<UInt8>) -> Int {
        byteForScalar.withUnsafeBufferPointer { table in
            var index = 0
            var written = 0
            let count = text.count
            while index < count {
                let lead = text[index]
                if lead < 0x80 {
                    let byte = table[Int(lead)]
                    if byte < 0 { return -1 }
                    output[written] = UInt8(truncatingIfNeeded: byte)
                    index += 1
                } else {
                    // Every scalar of the alphabet above U+007F is below U+0800: two UTF-8 bytes.
                    guard lead & 0xE0 == 0xC0, index + 1 < count, text[index + 1] & 0xC0 == 0x80 else { return -1 }
                    let scalar = (Int(lead & 0x1F) << 6) | Int(text[index + 1] & 0x3F)
                    guard scalar < table.count else { return -1 }
                    let byte = table[scalar]
                    if byte < 0 { return -1 }
                    output[written] = UInt8(truncatingIfNeeded: byte)
                    index += 2
                }
                written += 1
            }
            return written
        }
    }
}
