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
