import Foundation
import MinnowGGUF
import MinnowTestSupport
import Testing

/// Files written by gguf-py, an independent writer, read by Minnow and compared with what
/// gguf-py's own reader found in them (`Scripts/make-gguf-fixtures.py`): GGUF versions 3 and 2,
/// every value type, nested arrays two and three deep, a custom alignment, and tensors of
/// float, legacy and K-quant types, dequantized bit for bit as gguf-py dequantizes them.
@Suite struct GGUFPyFileTests {
    /// A metadata value as gguf-py's reader decoded it.
    indirect enum Value: Decodable, Equatable {
        case bool(Bool), int(Int64), uint(UInt64), double(Double), string(String), array([Value])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Int64.self) { self = .int(value) }
            else if let value = try? container.decode(UInt64.self) { self = .uint(value) }
            else if let value = try? container.decode(Double.self) { self = .double(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else { self = .array(try container.decode([Value].self)) }
        }

        /// Minnow's value in the same form.
        init(_ value: GGUFValue) {
            switch value {
            case .bool(let v): self = .bool(v)
            case .uint8(let v): self = .int(Int64(v))
            case .int8(let v): self = .int(Int64(v))
            case .uint16(let v): self = .int(Int64(v))
            case .int16(let v): self = .int(Int64(v))
            case .uint32(let v): self = .int(Int64(v))
            case .int32(let v): self = .int(Int64(v))
            case .int64(let v): self = .int(v)
            case .uint64(let v): self = v <= UInt64(Int64.max) ? .int(Int64(v)) : .uint(v)
            case .float32(let v): self = .double(Double(v))
            case .float64(let v): self = .double(v)
            case .string(let v): self = .string(v)
            case .array(let v): self = .array(v.elements.map(Value.init))
            }
        }

        /// JSON writes whole floats as integers (`3.0` reads back as 3).
        func matches(_ other: Value) -> Bool {
            switch (self, other) {
            case (.double(let a), .int(let b)), (.int(let b), .double(let a)): return a == Double(b)
            case (.array(let a), .array(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.matches($1) }
            default: return self == other
            }
        }
    }

    struct Entry: Decodable {
        var type: String
        var element: [String]?
        var value: Value
    }

    struct Tensor: Decodable {
        var name: String
        var type: String
        var shape: [Int]
        var offset: Int
        var values: String
    }

    struct Expected: Decodable {
        var version: Int
        var alignment: Int
        var keys: [String]
        var metadata: [String: Entry]
        var tensors: [Tensor]
    }

    static let folder = TestModels.fixtures.appendingPathComponent("gguf")

    static func expected() throws -> [String: Expected] {
        try JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: folder.appendingPathComponent("gguf-py.json")))
    }

    /// The chain of types of a value, outermost first (`ARRAY, ARRAY, INT32` for a nested array).
    static func typeChain(_ value: GGUFValue) -> [String] {
        guard case .array(let array) = value else { return [value.type.description.uppercased()] }
        if array.elementType != .array { return ["ARRAY", array.elementType.description.uppercased()] }
        return ["ARRAY"] + (array.elements.first.map(typeChain) ?? ["ARRAY"])
    }

    @Test(arguments: ["gguf-py-v3.gguf", "gguf-py-v2.gguf"])
    func readsWhatGGUFPyWrote(_ name: String) throws {
        let want = try #require(try Self.expected()[name])
        let file = try GGUFFile.open(Self.folder.appendingPathComponent(name))
        #expect(file.version == want.version)
        #expect(file.alignment == want.alignment)
        #expect(file.metadata.keys == want.keys)
        for key in want.keys {
            let entry = try #require(want.metadata[key])
            let value = try #require(file.metadata[key], "\(key) missing")
            #expect(Self.typeChain(value) == [entry.type] + (entry.element ?? []), "type of \(key)")
            #expect(Value(value).matches(entry.value), "\(key): \(value) vs \(entry.value)")
        }
        #expect(file.tensors.map(\.name) == want.tensors.map(\.name))
        for (tensor, reference) in zip(file.tensors, want.tensors) {
            #expect(tensor.type.name == reference.type, "type of \(tensor.name)")
            #expect(tensor.shape == reference.shape, "shape of \(tensor.name)")
            #expect(tensor.offset - file.dataOffset == reference.offset, "offset of \(tensor.name)")
            let values = try Dequantizer.dequantize(tensor.type, bytes: try file.bytes(of: tensor)).map(\.bitPattern)
            #expect(values == QuantFixtureCase.floatBits(reference.values), "values of \(tensor.name)")
        }
    }
}
