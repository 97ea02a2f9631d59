import MinnowGGUF

extension ModelSummary {
    /// How many elements of a large array `--json` shows.
    static let arrayPreview = 8

    /// The `--json` report: one object.
    var json: JSONText {
        .object([
            ("file", .string(path)),
            ("fileSize", .int(file.fileSize)),
            ("version", .int(file.version)),
            ("alignment", .int(file.alignment)),
            ("dataOffset", .int(file.dataOffset)),
            ("headerOnly", .bool(file.mode == .metadataOnly)),
            ("architecture", .string(architecture)),
            ("tensorCount", .int(file.tensors.count)),
            ("hyperparameters", .object(hyperparameters.map { ($0.0, Self.json($0.1)) })),
            ("tokenizer", .object([
                ("model", tokenizerModel.map(JSONText.string) ?? .null),
                ("pre", tokenizerPre.map(JSONText.string) ?? .null),
                ("vocabularySize", vocabularySize.map(JSONText.int) ?? .null),
                ("mergeCount", mergeCount.map(JSONText.int) ?? .null),
                ("chatTemplate", .bool(chatTemplate != nil)),
            ])),
            ("quantMix", .array(quantMix.map {
                .object([("type", .string($0.type.name)), ("tensors", .int($0.tensors)), ("bytes", .int($0.bytes))])
            })),
            ("tensorsOutsideFile", .int(tensorsOutsideFile)),
            ("cpuKernels", .object([("variant", .string(cpuKernels.variant)),
                                    ("types", .object(cpuKernels.perType.map { ($0.0.name, JSONText.string($0.1)) }))])),
            ("metadata", .object(file.metadata.entries.map { ($0.key, Self.json($0.value)) })),
            ("tensors", .array(file.tensors.map { tensor in
                .object([
                    ("name", .string(tensor.name)),
                    ("type", .string(tensor.type.name)),
                    ("shape", .array(tensor.shape.map(JSONText.int))),
                    ("offset", .int(tensor.offset)),
                    ("bytes", .int(tensor.byteCount)),
                ])
            })),
        ])
    }

    /// A metadata value; arrays longer than ``arrayPreview`` are summarized, not dumped.
    static func json(_ value: GGUFValue) -> JSONText {
        switch value {
        case .uint8(let v): return .int(Int(v))
        case .int8(let v): return .int(Int(v))
        case .uint16(let v): return .int(Int(v))
        case .int16(let v): return .int(Int(v))
        case .uint32(let v): return .int(Int(v))
        case .int32(let v): return .int(Int(v))
        case .uint64(let v): return .uint(v)
        case .int64(let v): return .int(Int(v))
        case .float32(let v): return .double(Double(v))
        case .float64(let v): return .double(v)
        case .bool(let v): return .bool(v)
        case .string(let v): return .string(v)
        case .array(let array):
            if array.count <= arrayPreview { return .array(array.elements.map(json)) }
            return .object([
                ("type", .string("array")),
                ("elementType", .string(array.elementType.description)),
                ("count", .int(array.count)),
                ("first", .array(array.prefix(arrayPreview).map(json))),
            ])
        }
    }
}
