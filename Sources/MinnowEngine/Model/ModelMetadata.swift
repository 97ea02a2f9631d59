/// Typed access to a model file's key–value metadata (GGUF's `general.*`, `<arch>.*`, …).
package protocol ModelMetadata {
    /// A string value.
    func string(_ key: String) -> String?
    /// An integer value of any width.
    func int(_ key: String) -> Int?
    /// A floating-point value.
    func float(_ key: String) -> Float?
    /// A boolean value.
    func bool(_ key: String) -> Bool?
}

/// Metadata held in a dictionary (tests, synthetic models).
package struct DictionaryMetadata: ModelMetadata, Sendable {
    /// The values: String, Int, Float, Double or Bool.
    package var values: [String: any Sendable]

    /// Wraps a dictionary.
    package init(_ values: [String: any Sendable]) { self.values = values }

    package func string(_ key: String) -> String? { values[key] as? String }
    package func int(_ key: String) -> Int? { values[key] as? Int }
    package func float(_ key: String) -> Float? {
        if let f = values[key] as? Float { return f }
        if let d = values[key] as? Double { return Float(d) }
        return (values[key] as? Int).map(Float.init)
    }
    package func bool(_ key: String) -> Bool? { values[key] as? Bool }
}
