/// A GGUF metadata array.
///
/// Arrays read from a file are views into the file's bytes (validated when the file was
/// opened) and are decoded only when asked, so that 150k-entry vocabularies cost nothing
/// until the tokenizer reads them. Arrays built in memory (for ``GGUFWriter``) hold values.
public struct GGUFArray: Sendable, Equatable, CustomStringConvertible {
    enum Storage: Sendable {
        case mapped(GGUFStorage, offset: Int, byteCount: Int)
        case values([GGUFValue])
    }

    /// The type of every element.
    public let elementType: GGUFValueType
    /// The number of elements.
    public let count: Int
    let storage: Storage

    init(elementType: GGUFValueType, count: Int, storage: Storage) {
        self.elementType = elementType
        self.count = count
        self.storage = storage
    }

    /// An in-memory array of `values`, or nil when some value's type is not `elementType`.
    public init?(elementType: GGUFValueType, values: [GGUFValue]) {
        guard values.allSatisfy({ $0.type == elementType }) else { return nil }
        self.init(elementType: elementType, count: values.count, storage: .values(values))
    }

    /// An in-memory array of strings.
    public init(strings: [String]) {
        self.init(elementType: .string, count: strings.count, storage: .values(strings.map(GGUFValue.string)))
    }

    /// An in-memory array of 32-bit integers.
    public init(int32s: [Int32]) {
        self.init(elementType: .int32, count: int32s.count, storage: .values(int32s.map(GGUFValue.int32)))
    }

    /// An in-memory array of 32-bit floats.
    public init(floats: [Float]) {
        self.init(elementType: .float32, count: floats.count, storage: .values(floats.map(GGUFValue.float32)))
    }

    /// Every element, decoded.
    public var elements: [GGUFValue] { prefix(count) }

    /// The first `maxCount` elements (or all, when there are fewer), decoded; the rest are not
    /// touched, so summarizing a huge array costs nothing.
    public func prefix(_ maxCount: Int) -> [GGUFValue] {
        let wanted = min(max(0, maxCount), count)
        switch storage {
        case .values(let values): return Array(values.prefix(wanted))
        case .mapped(let file, let offset, _):
            var cursor = GGUFCursor(file.buffer, at: offset)
            var result: [GGUFValue] = []
            result.reserveCapacity(wanted)
            for _ in 0..<wanted {
                // Validated when the file was opened; a failure here cannot happen, but stop cleanly.
                guard let value = try? GGUFValueReader.readValue(
                    elementType, from: &cursor, storage: file, key: "array element", depth: 1) else { break }
                result.append(value)
            }
            return result
        }
    }

    /// The elements as strings, decoded in one pass, or nil if this is not a string array.
    /// Invalid UTF-8 is repaired with U+FFFD.
    public func strings() -> [String]? {
        guard elementType == .string else { return nil }
        var result: [String] = []
        result.reserveCapacity(count)
        forEachStringBytes { _, bytes in result.append(String(decoding: bytes, as: UTF8.self)) }
        return result
    }

    /// Calls `body` with the index and raw UTF-8 bytes of every string element, without
    /// creating `String`s. The bytes are valid only during the call. Does nothing for other types.
    public func forEachStringBytes(_ body: (Int, UnsafeRawBufferPointer) throws -> Void) rethrows {
        guard elementType == .string else { return }
        switch storage {
        case .values(let values):
            for (index, value) in values.enumerated() {
                guard var string = value.stringValue else { continue }
                try string.withUTF8 { try body(index, UnsafeRawBufferPointer($0)) }
            }
        case .mapped(let file, let offset, _):
            let buffer = file.buffer
            var position = offset
            for index in 0..<count {
                guard buffer.count - position >= 8 else { return }
                let length = UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: position, as: UInt64.self))
                position += 8
                guard length <= UInt64(buffer.count - position) else { return }
                let end = position + Int(length)
                try body(index, UnsafeRawBufferPointer(rebasing: buffer[position..<end]))
                position = end
            }
        }
    }

    /// The elements as `Int`, or nil if this is not an integer array or a value does not fit.
    public func integers() -> [Int]? {
        guard elementType.isInteger else { return nil }
        var result: [Int] = []
        result.reserveCapacity(count)
        for value in elements {
            guard let int = value.intValue else { return nil }
            result.append(int)
        }
        return result
    }

    /// The elements as `Int32`, or nil if this is not an integer array or a value does not fit.
    public func int32s() -> [Int32]? {
        if elementType == .int32, case .mapped(let file, let offset, _) = storage {
            return Self.load(Int32.self, from: file.buffer, offset: offset, count: count)
        }
        guard let ints = integers() else { return nil }
        var result: [Int32] = []
        result.reserveCapacity(ints.count)
        for int in ints {
            guard let narrow = Int32(exactly: int) else { return nil }
            result.append(narrow)
        }
        return result
    }

    /// The elements as `Float`, or nil if this is not a float or integer array.
    public func floats() -> [Float]? {
        if elementType == .float32, case .mapped(let file, let offset, _) = storage {
            return Self.load(UInt32.self, from: file.buffer, offset: offset, count: count)?
                .map { Float(bitPattern: $0) }
        }
        guard elementType.isInteger || elementType == .float32 || elementType == .float64 else { return nil }
        return elements.compactMap { $0.doubleValue.map(Float.init) }
    }

    /// The elements as `Bool`, or nil if this is not a bool array.
    public func bools() -> [Bool]? {
        guard elementType == .bool else { return nil }
        return elements.compactMap(\.boolValue)
    }

    private static func load<T: FixedWidthInteger>(
        _: T.Type, from buffer: UnsafeRawBufferPointer, offset: Int, count: Int
    ) -> [T]? {
        let size = MemoryLayout<T>.size
        guard offset >= 0, count >= 0, count <= (buffer.count - offset) / size else { return nil }
        return [T](unsafeUninitializedCapacity: count) { out, initialized in
            for index in 0..<count {
                out[index] = T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + index * size, as: T.self))
            }
            initialized = count
        }
    }

    /// Arrays are equal when their element types and decoded elements are equal.
    public static func == (lhs: GGUFArray, rhs: GGUFArray) -> Bool {
        lhs.elementType == rhs.elementType && lhs.count == rhs.count && lhs.elements == rhs.elements
    }

    /// A summary such as `[string × 151936]`.
    public var description: String { "[\(elementType) × \(count)]" }
}
