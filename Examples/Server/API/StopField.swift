/// The `stop` parameter: one string or a list of up to four.
public struct StopField: Decodable, Sendable, Equatable {
    /// The stop strings.
    public var strings: [String]

    /// Stop strings.
    public init(_ strings: [String]) { self.strings = strings }

    /// Reads a string or an array of strings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let one = try? container.decode(String.self) {
            strings = [one]
        } else if let many = try? container.decode([String].self) {
            strings = many
        } else {
            throw DecodingError.typeMismatch(String.self, .init(
                codingPath: decoder.codingPath, debugDescription: "expected a string or an array of strings"))
        }
    }
}

/// `stream_options`.
public struct StreamOptions: Decodable, Sendable, Equatable {
    /// Whether a last chunk carries `usage` (and every other chunk `usage: null`).
    public var includeUsage: Bool?

    enum CodingKeys: String, CodingKey { case includeUsage = "include_usage" }
}

extension KeyedDecodingContainer {
    /// An optional integer; a value that is not a whole number in `T`'s range (1.5, "ten") is a
    /// type mismatch at `key`. (Foundation reports a fractional number as corrupted data, without
    /// the key's path.)
    func decodeInteger<T: FixedWidthInteger & Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        if let value = try? decodeIfPresent(T.self, forKey: key) { return value }
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "expected an integer"))
    }
}
