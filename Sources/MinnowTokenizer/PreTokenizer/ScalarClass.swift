/// The classes of Unicode scalars the pre-tokenizer regexes ask about, as bits.
///
/// They follow llama.cpp's tables (generated from Python's `regex` module): `\p{L}` is the
/// general category L*, `\p{N}` is N*, and `\s` is the White_Space property (which, unlike
/// Python's `str.isspace`, excludes U+001C...U+001F). Swift's tables may be of a newer Unicode
/// version than llama.cpp's, which matters only for scalars assigned since.
enum ScalarClass {
    /// `\p{L}`.
    static let letter: UInt8 = 1
    /// `\p{N}`.
    static let number: UInt8 = 2
    /// `\s`.
    static let whitespace: UInt8 = 4
    /// Past the end of the current range (llama.cpp's empty flags): in no class.
    static let outside: UInt8 = 8

    /// Whether `flags` is a scalar in range that is neither letter, number nor whitespace.
    @inline(__always)
    static func isOther(_ flags: UInt8) -> Bool { flags == 0 }

    /// Classes of the ASCII scalars.
    static let ascii: [UInt8] = (0..<128).map { value in
        switch value {
        case 0x41...0x5A, 0x61...0x7A: return letter
        case 0x30...0x39: return number
        case 0x09...0x0D, 0x20: return whitespace
        default: return 0
        }
    }

    /// The class of any scalar.
    @inline(__always)
    static func of(_ value: UInt32) -> UInt8 {
        if value < 128 { return ascii[Int(value)] }
        return nonASCII(value)
    }

    private static func nonASCII(_ value: UInt32) -> UInt8 {
        guard let scalar = Unicode.Scalar(value) else { return 0 }
        let properties = scalar.properties
        if properties.isWhitespace { return whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return number
        default:
            return 0
        }
    }
}
