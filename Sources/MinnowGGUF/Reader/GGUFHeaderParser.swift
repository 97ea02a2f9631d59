/// Parses and validates the header of a GGUF file: magic, version, metadata, tensor infos.
struct GGUFHeaderParser {
    /// The parsed header.
    struct Header {
        var version: UInt32
        var metadata: GGUFMetadata
        var tensors: [GGUFTensorInfo]
        var alignment: Int
        var dataOffset: Int
    }

    /// ggml's limit on tensor dimensions.
    static let maximumDimensions = 4
    /// The default data alignment when `general.alignment` is absent.
    static let defaultAlignment = 32
    /// The fewest bytes of a metadata entry: key length, value type, 1-byte value.
    static let minimumEntrySize = 8 + 4 + 1
    /// The fewest bytes of a tensor info: name length, dimension count, type, offset.
    static let minimumTensorInfoSize = 8 + 4 + 4 + 8

    /// Parses `storage`. In `.full` mode, every tensor's data must lie inside the file.
    static func parse(_ storage: GGUFStorage, mode: GGUFFile.LoadMode) throws(GGUFError) -> Header {
        let buffer = storage.buffer
        if buffer.isEmpty { throw .emptyFile }
        var cursor = GGUFCursor(buffer)

        try cursor.require(4, "magic")
        let magic = [UInt8](buffer[0..<4])
        guard magic == Array("GGUF".utf8) else { throw .badMagic(found: magic) }
        cursor.skip(4)
        let version = try cursor.read(UInt32.self, "version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(version) }

        let tensorCountOffset = cursor.position
        let rawTensorCount = try cursor.read(UInt64.self, "tensor count")
        let entryCountOffset = cursor.position
        let rawEntryCount = try cursor.read(UInt64.self, "metadata entry count")
        let entryLimit = cursor.remaining / minimumEntrySize
        guard rawEntryCount <= UInt64(entryLimit) else {
            throw .countTooLarge(what: "metadata entry count", count: rawEntryCount,
                                 offset: entryCountOffset, limit: entryLimit)
        }
        let tensorLimit = cursor.remaining / minimumTensorInfoSize
        guard rawTensorCount <= UInt64(tensorLimit) else {
            throw .countTooLarge(what: "tensor count", count: rawTensorCount,
                                 offset: tensorCountOffset, limit: tensorLimit)
        }

        var alignmentOffset = 0
        let metadata = try readMetadata(count: Int(rawEntryCount), from: &cursor, storage: storage,
                                        alignmentOffset: &alignmentOffset)
        let alignment = try readAlignment(metadata, offset: alignmentOffset)
        var tensors = try readTensorInfos(count: Int(rawTensorCount), alignment: alignment, from: &cursor)

        // Data starts at the first multiple of the alignment after the tensor infos.
        let (padded, overflow) = cursor.position.addingReportingOverflow(alignment - 1)
        guard !overflow else {
            throw .invalidMetadata(key: "general.alignment", reason: "data offset overflows", offset: cursor.position)
        }
        let dataOffset = padded / alignment * alignment

        for index in tensors.indices {
            let tensor = tensors[index]
            let (start, startOverflow) = dataOffset.addingReportingOverflow(tensor.offset)
            let (end, endOverflow) = start.addingReportingOverflow(tensor.byteCount)
            guard !startOverflow, !endOverflow else {
                throw .invalidTensor(name: tensor.name, reason: "data offset \(tensor.offset) overflows", offset: dataOffset)
            }
            if mode == .full && end > buffer.count {
                throw .tensorDataTruncated(tensor: tensor.name, offset: start, end: end, fileSize: buffer.count)
            }
            tensors[index] = GGUFTensorInfo(name: tensor.name, type: tensor.type, shape: tensor.shape,
                                            offset: start, byteCount: tensor.byteCount,
                                            elementCount: tensor.elementCount)
        }
        return Header(version: version, metadata: metadata, tensors: tensors,
                      alignment: alignment, dataOffset: dataOffset)
    }

    private static func readMetadata(
        count: Int, from cursor: inout GGUFCursor, storage: GGUFStorage, alignmentOffset: inout Int
    ) throws(GGUFError) -> GGUFMetadata {
        var pairs: [(key: String, value: GGUFValue)] = []
        pairs.reserveCapacity(count)
        var seen = Set<String>(minimumCapacity: count)
        for index in 0..<count {
            let keyOffset = cursor.position
            let key = try cursor.readString("key of metadata entry #\(index)")
            guard seen.insert(key).inserted else { throw .duplicateKey(key, offset: keyOffset) }
            let typeOffset = cursor.position
            let rawType = try cursor.read(UInt32.self, "value type of '\(key)'")
            guard let type = GGUFValueType(rawValue: rawType) else {
                throw .unknownValueType(id: rawType, key: key, offset: typeOffset)
            }
            if key == "general.alignment" { alignmentOffset = cursor.position }
            let value = try GGUFValueReader.readValue(type, from: &cursor, storage: storage, key: key)
            pairs.append((key, value))
        }
        return GGUFMetadata(pairs)
    }

    /// `general.alignment`, whose value was read at `offset`: a power of two up to 2^30.
    private static func readAlignment(_ metadata: GGUFMetadata, offset: Int) throws(GGUFError) -> Int {
        guard let value = metadata["general.alignment"] else { return defaultAlignment }
        guard let alignment = value.intValue, value.type.isInteger else {
            throw .invalidMetadata(key: "general.alignment", reason: "expected an integer, found \(value.type)",
                                   offset: offset)
        }
        guard alignment > 0, alignment <= 1 << 30, alignment & (alignment - 1) == 0 else {
            throw .invalidMetadata(key: "general.alignment",
                                   reason: "\(alignment) is not a power of two up to 2^30", offset: offset)
        }
        return alignment
    }

    /// Reads tensor infos; their `offset` is still relative to the data section.
    private static func readTensorInfos(
        count: Int, alignment: Int, from cursor: inout GGUFCursor
    ) throws(GGUFError) -> [GGUFTensorInfo] {
        var tensors: [GGUFTensorInfo] = []
        tensors.reserveCapacity(count)
        var seen = Set<String>(minimumCapacity: count)
        for index in 0..<count {
            let infoOffset = cursor.position
            let name = try cursor.readString("name of tensor #\(index)")
            guard seen.insert(name).inserted else { throw .duplicateTensor(name, offset: infoOffset) }

            let dimensionCount = try cursor.read(UInt32.self, "dimension count of tensor '\(name)'")
            guard dimensionCount <= maximumDimensions else {
                throw .invalidTensor(name: name, reason: "\(dimensionCount) dimensions (at most \(maximumDimensions))",
                                     offset: infoOffset)
            }
            var shape: [Int] = []
            shape.reserveCapacity(Int(dimensionCount))
            var elementCount = 1
            for axis in 0..<Int(dimensionCount) {
                let raw = try cursor.read(UInt64.self, "dimension \(axis) of tensor '\(name)'")
                guard let dimension = Int(exactly: raw) else {
                    throw .invalidTensor(name: name, reason: "dimension \(axis) is \(raw)", offset: infoOffset)
                }
                let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
                guard !overflow else {
                    throw .invalidTensor(name: name, reason: "element count overflows", offset: infoOffset)
                }
                elementCount = product
                shape.append(dimension)
            }

            let typeOffset = cursor.position
            let rawType = try cursor.read(UInt32.self, "type of tensor '\(name)'")
            guard let type = GGMLType(rawValue: rawType) else {
                throw .unknownTensorType(id: rawType, tensor: name, offset: typeOffset)
            }
            let rawOffset = try cursor.read(UInt64.self, "data offset of tensor '\(name)'")
            guard let relativeOffset = Int(exactly: rawOffset), relativeOffset % alignment == 0 else {
                throw .invalidTensor(name: name, reason: "data offset \(rawOffset) is not a multiple of \(alignment)",
                                     offset: infoOffset)
            }

            let rowLength = shape.first ?? 1
            guard let rowBytes = type.rowBytes(elements: rowLength) else {
                throw .invalidTensor(name: name,
                                     reason: "row length \(rowLength) is not a multiple of \(type.name)'s block size \(type.blockSize)",
                                     offset: infoOffset)
            }
            let rows = rowLength == 0 ? 0 : elementCount / rowLength
            let (byteCount, overflow) = rowBytes.multipliedReportingOverflow(by: rows)
            guard !overflow else {
                throw .invalidTensor(name: name, reason: "byte size overflows", offset: infoOffset)
            }
            tensors.append(GGUFTensorInfo(name: name, type: type, shape: shape, offset: relativeOffset,
                                          byteCount: byteCount, elementCount: elementCount))
        }
        return tensors
    }
}
