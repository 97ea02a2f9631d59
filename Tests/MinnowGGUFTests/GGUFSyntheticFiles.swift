import MinnowGGUF

/// Small synthetic GGUF files shared by the reader tests.
enum GGUFSyntheticFiles {
    /// A file with one value of every metadata type, nested arrays, and three tensors.
    static func everyType(version: UInt32 = 3, alignment: Int? = nil) throws -> GGUFWriter {
        var writer = GGUFWriter(version: version)
        writer.set("general.architecture", .string("llama"))
        if let alignment { writer.set("general.alignment", .uint32(UInt32(alignment))) }
        writer.set("test.u8", .uint8(200))
        writer.set("test.i8", .int8(-100))
        writer.set("test.u16", .uint16(60000))
        writer.set("test.i16", .int16(-30000))
        writer.set("test.u32", .uint32(4_000_000_000))
        writer.set("test.i32", .int32(-2_000_000_000))
        writer.set("test.f32", .float32(1.5e-5))
        writer.set("test.bool", .bool(true))
        writer.set("test.string", .string("héllo, 世界"))
        writer.set("test.u64", .uint64(UInt64.max))
        writer.set("test.i64", .int64(Int64.min))
        writer.set("test.f64", .float64(-1e300))
        writer.set("test.strings", .array(GGUFArray(strings: ["a", "", "Ġthe", "<|im_end|>"])))
        writer.set("test.int32s", .array(GGUFArray(int32s: [1, -2, 3])))
        writer.set("test.floats", .array(GGUFArray(floats: [0.5, -0.25])))
        writer.set("test.u8s", .array(GGUFArray(elementType: .uint8, values: [.uint8(1), .uint8(2)])!))
        let inner1 = GGUFArray(strings: ["x", "y"])
        let inner2 = GGUFArray(strings: [])
        writer.set("test.nested", .array(GGUFArray(elementType: .array, values: [.array(inner1), .array(inner2)])!))
        try writer.addTensor(name: "token_embd.weight", shape: [4, 3], floats: (0..<12).map { Float($0) })
        try writer.addTensor(name: "blk.0.q", type: .q8_0, shape: [32, 2], data: (0..<68).map { UInt8($0) })
        try writer.addTensor(name: "output_norm.weight", shape: [4], floats: [1, 2, 3, 4])
        return writer
    }
}
