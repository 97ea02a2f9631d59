import Foundation

/// Finds the text of one value inside a JSON document, byte for byte as sent.
///
/// Decoding into Swift types (or `JSONSerialization`) loses the order of an object's keys; a
/// JSON schema's `properties` order is the order a constrained answer writes them in, so the
/// server reads `response_format.json_schema.schema` as the client wrote it.
enum RawJSONLocator {
    /// The text of the value at `path` (object keys and array indices) in `data`, or nil when
    /// there is none. `data` must be valid JSON (the caller has parsed it already).
    static func text(at path: [any CodingKey], in data: Data) -> String? {
        let bytes = [UInt8](data)
        var scanner = Scanner(bytes: bytes)
        scanner.skipWhitespace()
        for component in path {
            guard scanner.enter(component) else { return nil }
        }
        let start = scanner.index
        guard scanner.skipValue() else { return nil }
        return String(decoding: bytes[start..<scanner.index], as: UTF8.self)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        /// Moves from the start of an object or array to the start of the member `component`
        /// names.
        mutating func enter(_ component: any CodingKey) -> Bool {
            if let wanted = component.intValue {
                guard current == UInt8(ascii: "[") else { return false }
                index += 1
                var position = 0
                while true {
                    skipWhitespace()
                    if current == UInt8(ascii: "]") { return false }
                    if position == wanted { return true }
                    guard skipValue() else { return false }
                    skipWhitespace()
                    guard current == UInt8(ascii: ",") else { return false }
                    index += 1
                    position += 1
                }
            }
            guard current == UInt8(ascii: "{") else { return false }
            index += 1
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { return false }
                let keyStart = index
                guard skipString() else { return false }
                let key = Self.decodeString(bytes[keyStart..<index])
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { return false }
                index += 1
                skipWhitespace()
                if key == component.stringValue { return true }
                guard skipValue() else { return false }
                skipWhitespace()
                guard current == UInt8(ascii: ",") else { return false }
                index += 1
            }
        }

        /// Moves past a string that starts at `index`.
        mutating func skipString() -> Bool {
            index += 1
            while let byte = current {
                index += 1
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    return true
                }
            }
            return false
        }

        /// Moves past the value that starts at `index`.
        mutating func skipValue() -> Bool {
            guard let first = current else { return false }
            if first == UInt8(ascii: "\"") { return skipString() }
            if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
                var depth = 0
                while let byte = current {
                    if byte == UInt8(ascii: "\"") {
                        guard skipString() else { return false }
                        continue
                    }
                    index += 1
                    if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                        depth += 1
                    } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                        depth -= 1
                        if depth == 0 { return true }
                    }
                }
                return false
            }
            // A number, true, false or null.
            let start = index
            while let byte = current, !Self.ends(byte) { index += 1 }
            return index > start
        }

        static func ends(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") || byte == 0x20
                || byte == 0x0A || byte == 0x0D || byte == 0x09
        }

        /// A key's text, escapes resolved.
        static func decodeString(_ quoted: ArraySlice<UInt8>) -> String? {
            if !quoted.contains(UInt8(ascii: "\\")) {
                return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self)
            }
            return try? JSONDecoder().decode(String.self, from: Data(quoted))
        }
    }
}
