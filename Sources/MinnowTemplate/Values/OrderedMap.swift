/// A string-keyed dictionary that remembers insertion order, like a Python `dict`.
///
/// Key order is observable in templates (`items()`, `tojson`, iteration), so the
/// values passed to and produced by templates keep it.
public struct OrderedMap<Value> {
    /// The keys, in insertion order.
    public private(set) var keys: [String] = []
    private var storage: [String: Value] = [:]

    /// Creates an empty map.
    public init() {}

    /// Creates a map from key-value pairs; a repeated key keeps its first position and last value.
    public init(_ pairs: [(String, Value)]) {
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of entries.
    public var count: Int { keys.count }

    /// Whether the map has no entries.
    public var isEmpty: Bool { keys.isEmpty }

    /// The values, in key order.
    public var values: [Value] { keys.compactMap { storage[$0] } }

    /// The entries, in key order.
    public var entries: [(key: String, value: Value)] {
        keys.compactMap { key in storage[key].map { (key, $0) } }
    }

    /// The value for `key`; setting a new key appends it, setting `nil` removes it.
    public subscript(key: String) -> Value? {
        get { storage[key] }
        set {
            if let newValue {
                if storage.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else if storage.removeValue(forKey: key) != nil {
                keys.removeAll { $0 == key }
            }
        }
    }
}

extension OrderedMap: Sendable where Value: Sendable {}

extension OrderedMap: Equatable where Value: Equatable {
    /// Maps are equal when they have the same keys in the same order with equal values.
    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        lhs.keys == rhs.keys && lhs.keys.allSatisfy { lhs.storage[$0] == rhs.storage[$0] }
    }
}
