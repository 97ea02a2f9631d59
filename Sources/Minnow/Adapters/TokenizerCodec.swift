import MinnowGGUF
import MinnowTokenizer

/// The model's byte-level BPE tokenizer (`MinnowTokenizer`) behind the ``TextCodec`` seam.
package struct TokenizerCodec: TextCodec {
    private let tokenizer: Tokenizer
    private let trieCache = TokenTrieCache()

    /// The tokenizer stored in `file`'s metadata.
    package init(file: GGUFFile) throws {
        do {
            tokenizer = try Tokenizer(gguf: file)
        } catch {
            throw ModelError.invalidTokenizer(error.description)
        }
    }

    package func encode(_ text: String, parseSpecialTokens: Bool) throws -> [Int32] {
        tokenizer.encode(text, addSpecial: false, parseSpecial: parseSpecialTokens).map { Int32(truncatingIfNeeded: $0) }
    }

    package var beginningOfSequence: Int32? {
        guard tokenizer.addsBOS, let bos = tokenizer.bosID else { return nil }
        return Int32(truncatingIfNeeded: bos)
    }

    /// The bytes of a generated token; control tokens print as nothing, as in llama.cpp's chat.
    package func bytes(of token: Int32) -> [UInt8] {
        guard let piece = try? tokenizer.pieceBytes(Int(token), renderSpecial: false) else { return [] }
        return Array(piece)
    }

    package func isEndOfGeneration(_ token: Int32) -> Bool {
        tokenizer.isEndOfGeneration(Int(token))
    }

    /// Control and added tokens (and end-of-generation ones of any type).
    package func isSpecial(_ token: Int32) -> Bool {
        switch tokenizer.tokenType(Int(token)) {
        case .control?, .userDefined?: return true
        default: return isEndOfGeneration(token)
        }
    }

    package func tokenTrie(vocabularySize: Int) -> TokenTrie {
        trieCache.trie(vocabularySize: vocabularySize) {
            TokenTrie(vocabularySize: vocabularySize, bytes: { bytes(of: $0) }, isEndOfGeneration: { isEndOfGeneration($0) })
        }
    }
}
