import Foundation
import MinnowGGUF
import MinnowTestTraits
import Testing

/// Minnow's Q2_K-Q6_K quantizers against ggml's own (`quantize_row_q*_K_ref`, recorded by
/// `Scripts/make-kquant-reference.py`). Minnow's quantizers are simpler than ggml's (no iterative
/// search for scales), so the bytes differ and are not compared. Checked instead:
/// - the format: ggml's blocks decode in Minnow to within ggml's own error of the input;
/// - the quality: Minnow's round-trip RMS error is at most a stated factor of ggml's on the same
///   rows (the factors sit just above the measured ratios, listed per type below).
@Suite(.offPool) struct QuantKReferenceTests {
    static let cases = QuantFixtures.load("quantize-k.json")

    /// The largest allowed ratio of Minnow's RMS error to ggml's, per type. Measured worst ratio
    /// over the four rows (2026-12-02): Q2_K 1.240 (the row with outliers), Q3_K 1.030,
    /// Q4_K 1.120, Q5_K 1.128, Q6_K 1.067.
    static let maximumRatio: [String: Double] = ["Q2_K": 1.3, "Q3_K": 1.06, "Q4_K": 1.15, "Q5_K": 1.16, "Q6_K": 1.1]

    static func rms(_ a: [Float], _ b: [Float]) -> Double {
        (zip(a, b).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) } / Double(max(1, a.count))).squareRoot()
    }

    @Test func everyKQuantTypeHasReferences() {
        #expect(Set(Self.cases.map(\.type)) == ["Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"])
    }

    @Test(arguments: cases)
    func errorNearGGML(_ fixture: QuantFixtureCase) throws {
        let type = try #require(fixture.ggmlType)
        let input = QuantFixtureCase.floatBits(fixture.input).map { Float(bitPattern: $0) }
        let reference = QuantFixtureCase.bytes(fixture.bytes)
        let ggmlDecoded = try reference.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0) }
        let ours = try Quantizer.quantize(type, input)
        #expect(ours.count == reference.count, "the same number of bytes per block")
        let oursDecoded = try ours.withUnsafeBytes { try Dequantizer.dequantize(type, bytes: $0) }
        let ggmlError = Self.rms(ggmlDecoded, input)
        let oursError = Self.rms(oursDecoded, input)
        let spread = Self.rms(input, [Float](repeating: 0, count: input.count))
        print("\(fixture.name): RMS error ggml \(ggmlError), Minnow \(oursError), ratio \(oursError / ggmlError)")
        // ggml's blocks decode to something close to the input (a wrong layout gives noise of the
        // input's own size).
        #expect(ggmlError < 0.5 * spread)
        #expect(oursError <= (Self.maximumRatio[fixture.type] ?? 1) * ggmlError)
    }
}
