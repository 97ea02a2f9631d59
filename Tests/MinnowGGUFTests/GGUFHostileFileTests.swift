import Foundation
import MinnowGGUF
import MinnowTestTraits
import Testing

/// Every way the issue lists of breaking a file gets a typed error, never a trap.
@Suite("GGUF reader on broken and hostile files", .offPool)
struct GGUFHostileFileTests {
    private func validFile() throws -> [UInt8] {
        try GGUFSyntheticFiles.everyType().encoded()
    }

    /// Parses `bytes`, expecting an error that `matches`, with a one-line description.
    private func expectError(
        _ bytes: [UInt8], mode: GGUFFile.LoadMode = .full,
        sourceLocation: SourceLocation = #_sourceLocation, _ matches: (GGUFError) -> Bool
    ) {
        do {
            _ = try GGUFFile.parse(bytes, mode: mode)
            Issue.record("a broken file was accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
    }

    @Test func emptyFile() throws {
        expectError([]) { $0 == .emptyFile }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-empty-\(UUID()).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data().write(to: url)
        #expect(throws: GGUFError.emptyFile) { try GGUFFile.open(url) }
    }

    @Test func missingFileAndDirectory() {
        #expect(throws: GGUFError.self) { try GGUFFile.open(URL(fileURLWithPath: "/nonexistent/model.gguf")) }
        #expect(throws: GGUFError.self) { try GGUFFile.open(FileManager.default.temporaryDirectory) }
    }

    @Test func badMagic() throws {
        var bytes = try validFile()
        bytes[0] = UInt8(ascii: "X")
        expectError(bytes) { if case .badMagic = $0 { return $0.offset == 0 } else { return false } }
    }

    @Test(arguments: [UInt32(0), 1, 4, 0x0300_0000, .max])
    func unknownVersion(version: UInt32) throws {
        var bytes = try validFile()
        bytes.patch(version, at: 4)
        expectError(bytes) { $0 == .unsupportedVersion(version) && $0.offset == 4 }
    }

    @Test func tensorCountOf2To62() throws {
        var bytes = try validFile()
        bytes.patch(UInt64(1) << 62, at: 8)
        expectError(bytes) {
            if case .countTooLarge(let what, let count, 8, _) = $0 { return what == "tensor count" && count == 1 << 62 }
            return false
        }
    }

    @Test func keyCountOf2To62() throws {
        var bytes = try validFile()
        bytes.patch(UInt64(1) << 62, at: 16)
        expectError(bytes) {
            if case .countTooLarge(_, let count, 16, _) = $0 { return count == 1 << 62 }
            return false
        }
    }

    @Test func stringLengthOf2To60() throws {
        var bytes = try validFile()
        bytes.patch(UInt64(1) << 60, at: 24)   // length of the first key
        expectError(bytes) {
            if case .stringTooLong(_, let length, 24, _) = $0 { return length == 1 << 60 }
            return false
        }
        // The same in a string value and in a string array element.
        var value = try validFile()
        let valueOffset = try #require(value.offsetAfter(string: "test.string")) + 4
        value.patch(UInt64(1) << 60, at: valueOffset)
        expectError(value) { if case .stringTooLong(_, 1 << 60, valueOffset, _) = $0 { true } else { false } }
        var element = try validFile()
        let elementOffset = try #require(element.offsetAfter(string: "test.strings")) + 4 + 4 + 8
        element.patch(UInt64(1) << 60, at: elementOffset)
        expectError(element) { if case .stringTooLong(_, 1 << 60, elementOffset, _) = $0 { true } else { false } }
    }

    @Test func arrayLengthOf2To62() throws {
        var bytes = try validFile()
        let countOffset = try #require(bytes.offsetAfter(string: "test.int32s")) + 4 + 4
        bytes.patch(UInt64(1) << 62, at: countOffset)
        expectError(bytes) { if case .countTooLarge(_, 1 << 62, countOffset, _) = $0 { true } else { false } }
    }

    @Test func truncationAtEveryByte() throws {
        let bytes = try validFile()
        let full = try GGUFFile.parse(bytes)
        for length in 0..<bytes.count {
            let prefix = Array(bytes[0..<length])
            expectError(prefix) { _ in true }
            // Metadata-only mode accepts a prefix exactly when the header is complete.
            let header = try? GGUFFile.parse(prefix, mode: .metadataOnly)
            if length >= full.dataOffset {
                #expect(header?.metadata == full.metadata, "prefix of \(length) bytes")
            }
        }
        // The data of the last tensor is cut: full mode names it.
        let cut = Array(bytes.dropLast())
        expectError(cut) {
            if case .tensorDataTruncated(let tensor, _, _, let size) = $0 {
                return tensor == "output_norm.weight" && size == bytes.count - 1
            }
            return false
        }
    }

    @Test func unknownValueType() throws {
        var bytes = try validFile()
        let typeOffset = try #require(bytes.offsetAfter(string: "test.u8"))
        bytes.patch(UInt32(13), at: typeOffset)
        expectError(bytes) { $0 == .unknownValueType(id: 13, key: "test.u8", offset: typeOffset) }
        var element = try validFile()
        let elementTypeOffset = try #require(element.offsetAfter(string: "test.floats")) + 4
        element.patch(UInt32(99), at: elementTypeOffset)
        expectError(element) { $0 == .unknownValueType(id: 99, key: "test.floats", offset: elementTypeOffset) }
    }

    @Test func unknownTensorType() throws {
        var bytes = try validFile()
        let typeOffset = try #require(bytes.offsetAfter(string: "output_norm.weight")) + 4 + 8
        bytes.patch(UInt32(31), at: typeOffset)
        expectError(bytes) { $0 == .unknownTensorType(id: 31, tensor: "output_norm.weight", offset: typeOffset) }
        #expect(GGUFError.unknownTensorType(id: 31, tensor: "t", offset: 9).description.contains("31"))
    }

    @Test func duplicateKeyAndTensor() throws {
        var keys = try validFile()
        let key = try #require(keys.offsetAfter(string: "test.u8")) - 2   // the "u" of "test.u8"
        keys[key] = UInt8(ascii: "i")                                      // now "test.i8" twice
        expectError(keys) { if case .duplicateKey("test.i8", _) = $0 { true } else { false } }

        var writer = GGUFWriter()
        try writer.addTensor(name: "a.weight", shape: [4], floats: [1, 2, 3, 4])
        try writer.addTensor(name: "b.weight", shape: [4], floats: [1, 2, 3, 4])
        var tensors = writer.encoded()
        let name = try #require(tensors.offsetAfter(string: "b.weight")) - 8
        tensors[name] = UInt8(ascii: "a")
        expectError(tensors) { if case .duplicateTensor("a.weight", _) = $0 { true } else { false } }
    }

    @Test func tensorShapeProblems() throws {
        var writer = GGUFWriter()
        try writer.addTensor(name: "t", type: .q8_0, shape: [32, 1, 1, 1], data: Array(repeating: 0, count: 34))
        let good = writer.encoded()
        let dims = try #require(good.offsetAfter(string: "t"))   // dimension count, then 4 dimensions

        var overflow = good
        for axis in 0..<4 { overflow.patch(UInt64(1) << 32, at: dims + 4 + 8 * axis) }
        expectError(overflow) { if case .invalidTensor("t", let reason, _) = $0 { reason.contains("overflow") } else { false } }

        var huge = good
        huge.patch(UInt64.max, at: dims + 4)
        expectError(huge) { if case .invalidTensor("t", _, _) = $0 { true } else { false } }

        var partialBlock = good
        partialBlock.patch(UInt64(33), at: dims + 4)
        expectError(partialBlock) { if case .invalidTensor("t", let reason, _) = $0 { reason.contains("block") } else { false } }

        var tooManyDimensions = good
        tooManyDimensions.patch(UInt32(5), at: dims)
        expectError(tooManyDimensions) { if case .invalidTensor("t", _, _) = $0 { true } else { false } }

        let offsetField = dims + 4 + 4 * 8 + 4
        var misaligned = good
        misaligned.patch(UInt64(1), at: offsetField)
        expectError(misaligned) { if case .invalidTensor("t", let reason, _) = $0 { reason.contains("multiple") } else { false } }

        var outside = good
        outside.patch(UInt64(1) << 40, at: offsetField)
        expectError(outside) { if case .tensorDataTruncated("t", _, _, _) = $0 { true } else { false } }
        #expect(try GGUFFile.parse(outside, mode: .metadataOnly).tensors.count == 1)

        var wraps = good
        wraps.patch(UInt64(Int.max) / 32 * 32, at: offsetField)
        expectError(wraps, mode: .metadataOnly) { if case .invalidTensor("t", _, _) = $0 { true } else { false } }
    }

    @Test func badAlignment() throws {
        for value: GGUFValue in [.uint32(0), .uint32(3), .uint32(48), .string("32"), .uint64(1 << 40)] {
            var writer = GGUFWriter()
            writer.set("general.alignment", value)
            try writer.addTensor(name: "t", shape: [4], floats: [1, 2, 3, 4])
            let bytes = writer.encoded()
            let valueOffset = try #require(bytes.offsetAfter(string: "general.alignment")) + 4
            expectError(bytes) { $0 == .invalidMetadata(key: "general.alignment", reason: reasonOf($0), offset: valueOffset) }
        }
    }

    private func reasonOf(_ error: GGUFError) -> String {
        if case .invalidMetadata(_, let reason, _) = error { return reason }
        return ""
    }

    @Test func deeplyNestedArrays() throws {
        var value = GGUFValue.array(GGUFArray(strings: ["leaf"]))
        for _ in 0..<20 { value = .array(GGUFArray(elementType: .array, values: [value])!) }
        var writer = GGUFWriter()
        writer.set("deep", value)
        expectError(writer.encoded()) { if case .nestingTooDeep("deep", _) = $0 { true } else { false } }
    }
}

@Suite("GGUF error messages")
struct GGUFErrorMessageTests {
    @Test func namesFromTheFileStayOnOneLineAndShort() {
        let error = GGUFError.unknownValueType(id: 99, key: "evil\nkey\u{1B}[2J" + String(repeating: "x", count: 10_000), offset: 40)
        #expect(!error.description.contains("\n"))
        #expect(!error.description.contains("\u{1B}"))
        #expect(error.description.contains("evil\\u{a}key"))
        #expect(error.description.count < 300)
        #expect(error.offset == 40)
    }
}
