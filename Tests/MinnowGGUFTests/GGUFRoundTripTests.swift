import Foundation
import MinnowGGUF
import Testing

@Suite("GGUF writer/reader round trip")
struct GGUFRoundTripTests {
    @Test(arguments: [UInt32(2), 3])
    func everyValueTypeRoundTrips(version: UInt32) throws {
        let writer = try GGUFSyntheticFiles.everyType(version: version)
        let file = try GGUFFile.parse(writer.encoded())
        #expect(file.version == Int(version))
        #expect(file.metadata.keys == writer.metadata.map(\.key))
        for (key, value) in writer.metadata {
            #expect(file.metadata[key] == value, "value of \(key)")
        }
        let m = file.metadata
        #expect(m.int("test.u8") == 200)
        #expect(m.int("test.i16") == -30000)
        #expect(m.int("test.u32") == 4_000_000_000)
        #expect(m.int("test.u64") == nil, "UInt64.max does not fit in Int")
        #expect(m.int("test.i64") == Int(Int64.min))
        #expect(m.float("test.f32") == 1.5e-5)
        #expect(m.double("test.f64") == -1e300)
        #expect(m.bool("test.bool") == true)
        #expect(m.string("test.string") == "héllo, 世界")
        #expect(m.string("test.u8") == nil, "wrong type gives nil")
        #expect(m.stringArray("test.strings") == ["a", "", "Ġthe", "<|im_end|>"])
        #expect(m.int32Array("test.int32s") == [1, -2, 3])
        #expect(m.intArray("test.u8s") == [1, 2])
        #expect(m.floatArray("test.floats") == [0.5, -0.25])
        #expect(m.array("test.strings")?.prefix(2) == [.string("a"), .string("")])
        #expect(m.array("test.strings")?.prefix(99).count == 4)
        #expect(m.array("test.strings")?.prefix(-1) == [])
        let nested = try #require(m.array("test.nested"))
        #expect(nested.elementType == .array)
        #expect(nested.elements.map { $0.arrayValue?.strings() } == [["x", "y"], []])
        #expect(file.architecture == "llama")
    }

    @Test func tensorsRoundTripWithAlignment() throws {
        for alignment in [32, 64, 256] {
            let writer = try GGUFSyntheticFiles.everyType(alignment: alignment)
            let file = try GGUFFile.parse(writer.encoded())
            #expect(file.alignment == alignment)
            #expect(file.dataOffset % alignment == 0)
            #expect(file.tensors.map(\.name) == writer.tensors.map(\.name))
            for written in writer.tensors {
                let info = try #require(file.tensor(named: written.name))
                #expect(info.type == written.type)
                #expect(info.shape == written.shape)
                #expect(info.offset % alignment == 0)
                #expect(info.elementCount == written.shape.reduce(1, *))
                #expect(info.byteCount == written.data.count)
                #expect(Array(try file.bytes(of: info)) == written.data)
            }
            let q = try #require(file.tensor(named: "blk.0.q"))
            #expect(q.rowLength == 32 && q.rowCount == 2 && q.rowBytes == 34)
        }
    }

    @Test func openMapsAFileFromDisk() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("minnow-roundtrip-\(UUID()).gguf")
        defer { try? FileManager.default.removeItem(at: url) }
        let writer = try GGUFSyntheticFiles.everyType()
        try writer.write(to: url)
        let file = try GGUFFile.open(url)
        #expect(file.url == url)
        #expect(file.fileSize == writer.encoded().count)
        let embedding = try file.bytes(ofTensorNamed: "token_embd.weight")
        #expect(embedding.loadUnaligned(fromByteOffset: 4 * 5, as: Float.self) == 5)
        #expect(throws: GGUFError.tensorNotAvailable("missing")) { try file.bytes(ofTensorNamed: "missing") }
    }
}
