/// The key-value metadata of a GGUF file, in file order, with typed accessors.
///
/// Accessors return nil when the key is missing or its value has another type.
public struct GGUFMetadata: Sendable, Equatable {
    /// The keys, in the order they appear in the file.
    public let keys: [String]
    private let values: [String: GGUFValue]

    /// Metadata from `(key, value)` pairs; a repeated key keeps its last value and first position.
    public init(_ pairs: [(key: String, value: GGUFValue)]) {
        var keys: [String] = []
        var values: [String: GGUFValue] = [:]
        keys.reserveCapacity(pairs.count)
        for (key, value) in pairs {
            if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        }
        self.keys = keys
        self.values = values
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// The entries in file order.
    public var entries: [(key: String, value: GGUFValue)] {
        keys.compactMap { key in values[key].map { (key, $0) } }
    }

    /// The raw value for `key`.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// Whether `key` is present.
    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// A string value.
    public func string(_ key: String) -> String? { values[key]?.stringValue }

    /// An integer value of any width, if it fits in `Int`.
    public func int(_ key: String) -> Int? { values[key]?.intValue }

    /// A float value (float32 or float64; integers are converted).
    public func float(_ key: String) -> Float? { values[key]?.doubleValue.map(Float.init) }

    /// A float value as `Double` (float32 or float64; integers are converted).
    public func double(_ key: String) -> Double? { values[key]?.doubleValue }

    /// A bool value.
    public func bool(_ key: String) -> Bool? { values[key]?.boolValue }

    /// An array value, undecoded.
    public func array(_ key: String) -> GGUFArray? { values[key]?.arrayValue }

    /// A string array, decoded in one pass.
    public func stringArray(_ key: String) -> [String]? { array(key)?.strings() }

    /// An integer array of any element width, as `Int`.
    public func intArray(_ key: String) -> [Int]? { array(key)?.integers() }

    /// An integer array of any element width, as `Int32`.
    public func int32Array(_ key: String) -> [Int32]? { array(key)?.int32s() }

    /// A float (or integer) array, as `Float`.
    public func floatArray(_ key: String) -> [Float]? { array(key)?.floats() }

    /// Metadata are equal when they hold the same keys in the same order with equal values.
    public static func == (lhs: GGUFMetadata, rhs: GGUFMetadata) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }
}
