/// Reads and validates metadata values from a GGUF byte stream.
///
/// Arrays are validated in full (every string length, every nested array) but not decoded:
/// the result is a ``GGUFArray`` that points into the storage.
enum GGUFValueReader {
    /// Arrays nested deeper than this are rejected, so that a hostile file cannot exhaust the stack.
    static let maximumNesting = 8

    /// Reads one value of `type` at the cursor.
    static func readValue(
        _ type: GGUFValueType, from cursor: inout GGUFCursor, storage: GGUFStorage,
        key: String, depth: Int = 0
    ) throws(GGUFError) -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try cursor.read(UInt8.self, "uint8 value of '\(key)'"))
        case .int8: return .int8(try cursor.read(Int8.self, "int8 value of '\(key)'"))
        case .uint16: return .uint16(try cursor.read(UInt16.self, "uint16 value of '\(key)'"))
        case .int16: return .int16(try cursor.read(Int16.self, "int16 value of '\(key)'"))
        case .uint32: return .uint32(try cursor.read(UInt32.self, "uint32 value of '\(key)'"))
        case .int32: return .int32(try cursor.read(Int32.self, "int32 value of '\(key)'"))
        case .uint64: return .uint64(try cursor.read(UInt64.self, "uint64 value of '\(key)'"))
        case .int64: return .int64(try cursor.read(Int64.self, "int64 value of '\(key)'"))
        case .float32:
            return .float32(Float(bitPattern: try cursor.read(UInt32.self, "float32 value of '\(key)'")))
        case .float64:
            return .float64(Double(bitPattern: try cursor.read(UInt64.self, "float64 value of '\(key)'")))
        case .bool: return .bool(try cursor.read(UInt8.self, "bool value of '\(key)'") != 0)
        case .string: return .string(try cursor.readString("string value of '\(key)'"))
        case .array:
            let (elementType, count, start) = try readArrayHeader(from: &cursor, key: key, depth: depth)
            try skipElements(elementType, count: count, from: &cursor, key: key, depth: depth)
            return .array(GGUFArray(
                elementType: elementType, count: count,
                storage: .mapped(storage, offset: start, byteCount: cursor.position - start)))
        }
    }

    /// Reads an array's element type and count, bounding the count by the bytes left.
    /// Returns the offset of the first element.
    static func readArrayHeader(
        from cursor: inout GGUFCursor, key: String, depth: Int
    ) throws(GGUFError) -> (GGUFValueType, Int, Int) {
        if depth >= maximumNesting { throw .nestingTooDeep(key: key, offset: cursor.position) }
        let typeOffset = cursor.position
        let rawType = try cursor.read(UInt32.self, "array element type of '\(key)'")
        guard let elementType = GGUFValueType(rawValue: rawType) else {
            throw .unknownValueType(id: rawType, key: key, offset: typeOffset)
        }
        let countOffset = cursor.position
        let rawCount = try cursor.read(UInt64.self, "array length of '\(key)'")
        let limit = cursor.remaining / elementType.minimumEncodedSize
        guard rawCount <= UInt64(limit) else {
            throw .countTooLarge(what: "array length of '\(key)'", count: rawCount, offset: countOffset, limit: limit)
        }
        return (elementType, Int(rawCount), cursor.position)
    }

    /// Validates and skips `count` elements of `type`.
    static func skipElements(
        _ type: GGUFValueType, count: Int, from cursor: inout GGUFCursor, key: String, depth: Int
    ) throws(GGUFError) {
        if let size = type.fixedSize {
            // count was bounded by remaining / size, so the product cannot overflow.
            try cursor.require(count * size, "\(count) \(type) elements of '\(key)'")
            cursor.skip(count * size)
            return
        }
        if type == .string {
            try skipStrings(count: count, from: &cursor, key: key)
            return
        }
        for _ in 0..<count {
            let (elementType, inner, _) = try readArrayHeader(from: &cursor, key: key, depth: depth + 1)
            try skipElements(elementType, count: inner, from: &cursor, key: key, depth: depth + 1)
        }
    }

    /// The tight loop over a string array (152k vocabulary entries): only lengths are read.
    private static func skipStrings(count: Int, from cursor: inout GGUFCursor, key: String) throws(GGUFError) {
        let buffer = cursor.buffer
        let end = buffer.count
        var position = cursor.position
        for index in 0..<count {
            guard end - position >= 8 else {
                throw .truncated(what: "length of string #\(index) of '\(key)'", offset: position,
                                 needed: 8, available: end - position)
            }
            let length = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
            let available = end - position - 8
            guard length <= UInt64(available) else {
                throw .stringTooLong(what: "string #\(index) of '\(key)'", length: length, offset: position,
                                     available: available)
            }
            position += 8 + Int(length)
        }
        cursor.position = position
    }
}
