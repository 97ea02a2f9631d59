import Foundation
import MinnowGGUF

extension Tokenizer {
    /// The `tokenizer.ggml.*` metadata keys read.
    enum Key {
        static let model = "tokenizer.ggml.model"
        static let preTokenizer = "tokenizer.ggml.pre"
        static let tokens = "tokenizer.ggml.tokens"
        static let tokenTypes = "tokenizer.ggml.token_type"
        static let merges = "tokenizer.ggml.merges"
        static let bos = "tokenizer.ggml.bos_token_id"
        static let eos = "tokenizer.ggml.eos_token_id"
        static let eot = "tokenizer.ggml.eot_token_id"
        static let pad = "tokenizer.ggml.padding_token_id"
        static let addBOS = "tokenizer.ggml.add_bos_token"
        static let addEOS = "tokenizer.ggml.add_eos_token"
    }

    /// Builds the tokenizer stored in a GGUF file's metadata, reading the token and merge
    /// strings straight from the mapped file (no `String` per entry).
    ///
    /// Special ids outside the vocabulary are ignored, as llama.cpp does. When the file does not
    /// say whether to add BOS, the Llama 3 pre-tokenizer adds it and the others do not.
    /// - Parameters:
    ///   - file: the open GGUF file (metadata-only is enough).
    ///   - preTokenizer: a pre-tokenizer to use instead of the file's `tokenizer.ggml.pre`.
    /// - Throws: ``TokenizerError`` when the model is not byte-level BPE, the pre-tokenizer is
    ///   unknown, or the arrays are missing or inconsistent.
    public init(gguf file: GGUFFile, preTokenizer override: PreTokenizer? = nil) throws(TokenizerError) {
        let metadata = file.metadata
        guard let model = metadata.string(Key.model) else { throw .missingMetadata(Key.model) }
        guard model == "gpt2" else { throw .unsupportedModel(model) }
        let preTokenizer: PreTokenizer
        if let override {
            preTokenizer = override
        } else {
            preTokenizer = try PreTokenizer(name: metadata.string(Key.preTokenizer) ?? "default")
        }
        guard let tokens = metadata.array(Key.tokens), tokens.elementType == .string else {
            throw .missingMetadata(Key.tokens)
        }
        guard let merges = metadata.array(Key.merges), merges.elementType == .string else {
            throw .missingMetadata(Key.merges)
        }
        var types: [TokenType] = []
        if metadata.contains(Key.tokenTypes) {
            guard let raw = metadata.int32Array(Key.tokenTypes) else { throw .missingMetadata(Key.tokenTypes) }
            types = raw.map(TokenType.init(gguf:))
        }
        let count = tokens.count
        func id(_ key: String) -> Int? {
            guard let value = metadata.int(key), (0..<count).contains(value) else { return nil }
            return value
        }
        let eosID = id(Key.eos)
        let eotID = id(Key.eot)
        let tables = try TokenizerTables(
            count: count,
            types: types,
            forEachToken: { body in tokens.forEachStringBytes(body) },
            mergeCount: merges.count,
            forEachMerge: { body in merges.forEachStringBytes(body) },
            eosID: eosID.map(Int32.init),
            eotID: eotID.map(Int32.init))
        try self.init(
            tables: tables, preTokenizer: preTokenizer,
            bosID: id(Key.bos), eosID: eosID, eotID: eotID, padID: id(Key.pad),
            addsBOS: metadata.bool(Key.addBOS) ?? preTokenizer.addsBOSByDefault,
            addsEOS: metadata.bool(Key.addEOS) ?? false)
    }

    /// Opens the GGUF file at `url` (metadata only: tensor data may be cut) and builds its
    /// tokenizer, optionally with another pre-tokenizer than the file's.
    /// - Throws: ``TokenizerError/unreadableFile(_:)`` when the file cannot be opened, or the
    ///   errors of ``init(gguf:)``.
    public init(contentsOf url: URL, preTokenizer override: PreTokenizer? = nil) throws(TokenizerError) {
        let file: GGUFFile
        do {
            file = try GGUFFile.open(url, mode: .metadataOnly)
        } catch {
            throw .unreadableFile("\(url.path): \(error)")
        }
        try self.init(gguf: file, preTokenizer: override)
    }
}
