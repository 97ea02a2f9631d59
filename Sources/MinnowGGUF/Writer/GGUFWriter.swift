import Foundation

/// Builds GGUF version 3 (or 2) files from metadata and tensors, in memory.
///
/// Used to make synthetic and hostile files for tests, and small models. Tensor data is
/// placed at multiples of the alignment (`general.alignment` when set to a valid power of
/// two up to 65536, else 32), padded between tensors; the file ends right after the last tensor.
public struct GGUFWriter: Sendable {
    /// One tensor to write.
    public struct Tensor: Sendable {
        /// The tensor's name.
        public var name: String
        /// The element type.
        public var type: GGMLType
        /// The dimensions, innermost first.
        public var shape: [Int]
        /// The encoded data.
        public var data: [UInt8]
    }

    /// The format version written in the header.
    public var version: UInt32
    /// The metadata entries, in the order they will be written.
    public private(set) var metadata: [(key: String, value: GGUFValue)] = []
    /// The tensors, in the order they will be written.
    public private(set) var tensors: [Tensor] = []

    /// An empty writer for the given format version.
    public init(version: UInt32 = 3) {
        self.version = version
    }

    /// Sets `key` to `value`, replacing an earlier value in place.
    public mutating func set(_ key: String, _ value: GGUFValue) {
        if let index = metadata.firstIndex(where: { $0.key == key }) {
            metadata[index].value = value
        } else {
            metadata.append((key, value))
        }
    }

    /// Adds a tensor; `data` must hold exactly the bytes of `shape` elements of `type`.
    public mutating func addTensor(name: String, type: GGMLType, shape: [Int], data: [UInt8]) throws(GGUFError) {
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow else {
                throw .invalidTensor(name: name, reason: "invalid shape \(shape)", offset: 0)
            }
            elements = product
        }
        let rowLength = shape.first ?? 1
        guard let rowBytes = type.rowBytes(elements: rowLength) else {
            throw .invalidTensor(name: name, reason: "row length \(rowLength) is not whole \(type.name) blocks", offset: 0)
        }
        let expected = rowLength == 0 ? 0 : rowBytes * (elements / rowLength)
        guard data.count == expected else {
            throw .invalidTensor(name: name, reason: "\(data.count) data bytes, expected \(expected)", offset: 0)
        }
        tensors.append(Tensor(name: name, type: type, shape: shape, data: data))
    }

    /// Adds an F32 tensor.
    public mutating func addTensor(name: String, shape: [Int], floats: [Float]) throws(GGUFError) {
        var data: [UInt8] = []
        data.reserveCapacity(floats.count * 4)
        for value in floats { Self.append(value.bitPattern, to: &data) }
        try addTensor(name: name, type: .f32, shape: shape, data: data)
    }

    /// The alignment the writer lays tensor data out with: `general.alignment` when it is a
    /// power of two up to 65536, else 32 (an invalid value is still written, for hostile tests).
    public var alignment: Int {
        guard let value = metadata.first(where: { $0.key == "general.alignment" })?.value.intValue,
              value > 0, value <= 1 << 16, value & (value - 1) == 0 else { return 32 }
        return value
    }

    /// The complete file.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8)
        Self.append(version, to: &out)
        Self.append(UInt64(tensors.count), to: &out)
        Self.append(UInt64(metadata.count), to: &out)
        for (key, value) in metadata {
            Self.append(string: key, to: &out)
            Self.append(value.type.rawValue, to: &out)
            Self.append(value: value, to: &out)
        }
        let alignment = self.alignment
        var offset = 0
        var offsets: [Int] = []
        for tensor in tensors {
            offsets.append(offset)
            offset = Self.alignUp(offset + tensor.data.count, alignment)
        }
        for (tensor, offset) in zip(tensors, offsets) {
            Self.append(string: tensor.name, to: &out)
            Self.append(UInt32(tensor.shape.count), to: &out)
            for dimension in tensor.shape { Self.append(UInt64(dimension), to: &out) }
            Self.append(tensor.type.rawValue, to: &out)
            Self.append(UInt64(offset), to: &out)
        }
        let dataStart = Self.alignUp(out.count, alignment)
        for (tensor, offset) in zip(tensors, offsets) {
            out.append(contentsOf: repeatElement(0, count: dataStart + offset - out.count))
            out.append(contentsOf: tensor.data)
        }
        if tensors.isEmpty { out.append(contentsOf: repeatElement(0, count: dataStart - out.count)) }
        return out
    }

    /// Writes the file to `url`.
    public func write(to url: URL) throws {
        try Data(encoded()).write(to: url)
    }

    private static func alignUp(_ value: Int, _ alignment: Int) -> Int {
        (value + alignment - 1) / alignment * alignment
    }

    private static func append<T: FixedWidthInteger>(_ value: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func append(string: String, to out: inout [UInt8]) {
        append(UInt64(string.utf8.count), to: &out)
        out.append(contentsOf: string.utf8)
    }

    private static func append(value: GGUFValue, to out: inout [UInt8]) {
        switch value {
        case .uint8(let v): append(v, to: &out)
        case .int8(let v): append(v, to: &out)
        case .uint16(let v): append(v, to: &out)
        case .int16(let v): append(v, to: &out)
        case .uint32(let v): append(v, to: &out)
        case .int32(let v): append(v, to: &out)
        case .uint64(let v): append(v, to: &out)
        case .int64(let v): append(v, to: &out)
        case .float32(let v): append(v.bitPattern, to: &out)
        case .float64(let v): append(v.bitPattern, to: &out)
        case .bool(let v): out.append(v ? 1 : 0)
        case .string(let v): append(string: v, to: &out)
        case .array(let array):
            append(array.elementType.rawValue, to: &out)
            let elements = array.elements
            append(UInt64(elements.count), to: &out)
            for element in elements { append(value: element, to: &out) }
        }
    }
}
