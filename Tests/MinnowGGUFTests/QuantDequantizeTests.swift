import Foundation
import MinnowGGUF
import Testing

/// Dequantization against gguf-py, bit for bit.
///
/// Every format's float arithmetic is written in the same order as gguf-py's numpy code
/// (for example (d · sc) · q - dmin · m for Q4_K), and neither side fuses multiply-add, so the
/// results are expected to be identical, not merely within an ulp.
@Suite struct QuantDequantizeTests {
    static let realCases = QuantFixtures.load("real.json")
    static let syntheticCases = QuantFixtures.load("synthetic.json")

    @Test func fixturesCoverEveryType() {
        let real = Set(Self.realCases.map(\.type))
        // Every type in SmolLM2 Q4_1 and Qwen2.5-Coder-0.5B Q4_K_M.
        #expect(real == ["F32", "Q4_1", "Q8_0", "Q5_0", "Q4_K", "Q6_K"])
        let synthetic = Set(Self.syntheticCases.map(\.type))
        #expect(synthetic.isSuperset(of: ["F16", "BF16", "Q4_0", "Q5_1", "Q2_K", "Q3_K", "Q5_K"]))
    }

    @Test(arguments: realCases + syntheticCases)
    func matchesGGUFPy(_ fixture: QuantFixtureCase) throws {
        let type = try #require(fixture.ggmlType)
        let raw = QuantFixtureCase.bytes(fixture.raw)
        let expected = QuantFixtureCase.floatBits(fixture.values)
        #expect(expected.count == fixture.count)
        #expect(type.rowBytes(elements: fixture.count) == raw.count)
        let got = try raw.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0) }
        #expect(got.count == fixture.count)
        var mismatches = 0
        for (index, value) in got.enumerated() where index < expected.count && value.bitPattern != expected[index] {
            if mismatches < 5 {
                Issue.record("\(fixture.name)[\(index)]: \(value) (0x\(String(value.bitPattern, radix: 16))) vs 0x\(String(expected[index], radix: 16))")
            }
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    @Test func unsupportedTypeThrows() {
        let bytes = [UInt8](repeating: 0, count: GGMLType.iq2_xxs.blockBytes)
        #expect(throws: QuantizationError.unsupportedType(.iq2_xxs, operation: "dequantization")) {
            try bytes.withUnsafeBytes { try Dequantizer.dequantize(.iq2_xxs, bytes: $0) }
        }
    }

    @Test func partialBlockThrows() {
        let bytes = [UInt8](repeating: 0, count: 100)
        #expect(throws: QuantizationError.self) {
            try bytes.withUnsafeBytes { try Dequantizer.dequantize(.q4_K, bytes: $0) }
        }
        var out = [Float](repeating: 0, count: 64)
        #expect(throws: QuantizationError.invalidCount(33, type: .q8_0)) {
            try bytes.withUnsafeBytes { src in
                try out.withUnsafeMutableBufferPointer { try Dequantizer.dequantize(.q8_0, from: src.baseAddress!, count: 33, into: $0.baseAddress!) }
            }
        }
    }
}
