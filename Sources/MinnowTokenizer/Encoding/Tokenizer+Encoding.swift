extension Tokenizer {
    /// The token ids of `text`, as llama.cpp's `llama_tokenize` gives them.
    /// - Parameters:
    ///   - text: the text to encode.
    ///   - addSpecial: put BOS first when ``addsBOS`` and EOS last when ``addsEOS``
    ///     (llama.cpp's `add_special`).
    ///   - parseSpecial: turn spellings of control tokens (`<|im_start|>`, `<｜User｜>`) into their
    ///     ids. User-defined tokens (`<think>` in R1) are always recognized, as in llama.cpp.
    public func encode(_ text: String, addSpecial: Bool = false, parseSpecial: Bool = false) -> [Int] {
        var text = text
        var output: [Int32] = []
        text.withUTF8 { bytes in
            output.reserveCapacity(bytes.count / 3 + 2)
            if addSpecial, addsBOS, let bosID { output.append(Int32(bosID)) }
            encodeBody(UnsafeRawBufferPointer(bytes), parseSpecial: parseSpecial, into: &output)
            if addSpecial, addsEOS, let eosID { output.append(Int32(eosID)) }
        }
        return output.map(Int.init)
    }

    /// Encodes valid UTF-8 `bytes`, appending the ids to `output`.
    func encodeBody(_ bytes: UnsafeRawBufferPointer, parseSpecial: Bool, into output: inout [Int32]) {
        let candidates = parseSpecial ? tables.specialWhenParsing : tables.specialAlways
        let fragments: [Fragment] = candidates.isEmpty
            ? (bytes.isEmpty ? [] : [.text(0..<bytes.count)])
            : SpecialTokenPartition.partition(bytes, candidates: candidates, tables: tables)
        var scalars = ScalarBuffer()
        var merger = BytePairMerger()
        for fragment in fragments {
            switch fragment {
            case .token(let id):
                output.append(id)
            case .text(let range):
                encodeText(UnsafeRawBufferPointer(rebasing: bytes[range]), scalars: &scalars, merger: &merger, into: &output)
            }
        }
    }

    private func encodeText(
        _ bytes: UnsafeRawBufferPointer, scalars: inout ScalarBuffer, merger: inout BytePairMerger,
        into output: inout [Int32]
    ) {
        scalars.load(bytes.assumingMemoryBound(to: UInt8.self))
        let ignoresMerges = preTokenizer.ignoresMerges
        scalars.scalars.withUnsafeBufferPointer { values in
            scalars.classes.withUnsafeBufferPointer { classes in
                scalars.byteOffsets.withUnsafeBufferPointer { offsets in
                    let view = ScalarView(scalars: values, classes: classes)
                    var wordStart = 0
                    preTokenizer.split(view, 0..<values.count) { wordEnd in
                        let word = UnsafeRawBufferPointer(rebasing: bytes[offsets[wordStart]..<offsets[wordEnd]])
                        wordStart = wordEnd
                        if ignoresMerges {
                            let id = tables.tokenID(decodedBytes: word)
                            if id >= 0 {
                                output.append(id)
                                return
                            }
                        }
                        merger.encode(word, tables: tables, into: &output)
                    }
                }
            }
        }
    }
}
