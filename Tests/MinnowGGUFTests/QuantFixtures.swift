import Foundation
import MinnowGGUF
import MinnowTestSupport

/// One reference case from `Tests/Fixtures/dequant/*.json` (made by Scripts/make-dequant-fixtures.py).
struct QuantFixtureCase: Decodable, CustomStringConvertible {
    let name: String
    let type: String
    let count: Int
    /// Block bytes (dequantization cases).
    let raw: String?
    /// Float32 bit patterns of the reference dequantization.
    let values: String?
    /// Float32 bit patterns of the quantizer input (quantization cases).
    let input: String?
    /// Reference quantizer output bytes.
    let bytes: String?

    var description: String { name }

    var ggmlType: GGMLType? { GGMLType.allCases.first { $0.name == type } }

    static func bytes(_ base64: String?) -> [UInt8] {
        guard let base64, let data = Data(base64Encoded: base64) else { return [] }
        return [UInt8](data)
    }

    static func floatBits(_ base64: String?) -> [UInt32] {
        let raw = bytes(base64)
        return stride(from: 0, to: raw.count - 3, by: 4).map { i in
            UInt32(raw[i]) | UInt32(raw[i + 1]) << 8 | UInt32(raw[i + 2]) << 16 | UInt32(raw[i + 3]) << 24
        }
    }
}

private struct QuantFixtureFile: Decodable {
    let cases: [QuantFixtureCase]
}

enum QuantFixtures {
    /// The cases of one fixture file, or an empty list when it is missing or unreadable
    /// (the tests that use it then fail on their count check).
    static func load(_ file: String) -> [QuantFixtureCase] {
        let url = TestModels.fixtures.appendingPathComponent("dequant").appendingPathComponent(file)
        guard let data = try? Data(contentsOf: url),
              let decoded = try? JSONDecoder().decode(QuantFixtureFile.self, from: data) else { return [] }
        return decoded.cases
    }
}
