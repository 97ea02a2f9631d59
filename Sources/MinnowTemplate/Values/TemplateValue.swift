/// A value passed into a template's context: the JSON data model, with ordered objects.
///
/// Build one with literals (`["role": "user", "content": "Hi"]`) or parse it from JSON
/// with ``init(json:)``, which keeps the key order of objects.
public enum TemplateValue: Sendable, Equatable {
    /// Python's `None`.
    case null
    /// A boolean.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A floating-point number.
    case double(Double)
    /// A string.
    case string(String)
    /// A list.
    case array([TemplateValue])
    /// A dictionary with string keys, in insertion order.
    case object(OrderedMap<TemplateValue>)

    /// The object's value for `key`, or nil when this is not an object or has no such key.
    public subscript(key: String) -> TemplateValue? {
        if case .object(let map) = self { return map[key] }
        return nil
    }
}

extension TemplateValue: ExpressibleByStringLiteral {
    /// A string value.
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    /// An integer value.
    public init(integerLiteral value: Int) { self = .int(value) }
}

extension TemplateValue: ExpressibleByFloatLiteral {
    /// A floating-point value.
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    /// A boolean value.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByNilLiteral {
    /// The `None` value.
    public init(nilLiteral: ()) { self = .null }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    /// A list value.
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    /// An object value whose keys keep the literal's order.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self = .object(OrderedMap(elements)) }
}
