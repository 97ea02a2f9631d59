import Foundation
import MinnowGGUF
import MinnowTestSupport
import MinnowTokenizer

/// Arbitrary bytes through the tokenizers of two real vocabularies: SmolLM2's (49k tokens, the
/// SmolLM pre-tokenizer) and DeepSeek-R1-Distill-Qwen's (152k tokens, the Qwen2 pre-tokenizer,
/// user-defined `<think>` tokens). The vocabularies come from the test models
/// (`Scripts/fetch-models.sh`; `$MINNOW_MODELS` or `~/.cache/minnow/models`).
///
/// The first byte chooses the vocabulary and the mode; the rest is the input:
/// - bit 0: which vocabulary;
/// - bit 1: parse special-token spellings;
/// - bit 2: the rest is token ids (little-endian 24-bit) to decode, not text to encode.
///
/// Properties checked: encoding gives ids inside the vocabulary; decoding the ids of valid UTF-8
/// text gives the text back, less the bytes the vocabulary has no symbol for (SmolLM2 lacks 21 of
/// the 256, 0x04 and 0xC0 among them; llama.cpp drops those bytes too); streaming
/// detokenization gives the same text as decoding at once; decoding arbitrary ids either throws
/// `invalidTokenID` or succeeds.
final class TokenizerFuzzTarget: Sendable {
    static let shared = TokenizerFuzzTarget()

    let tokenizers: [Tokenizer]
    /// For each tokenizer, whether each byte value has a token (its GPT-2 byte symbol).
    let hasByte: [[Bool]]

    private init() {
        var loaded: [Tokenizer] = []
        for name in [TestModels.smolLM2, TestModels.r1Header] {
            let url = TestModels.directory.appendingPathComponent(name)
            do {
                loaded.append(try Tokenizer(contentsOf: url))
            } catch {
                fatalError("the tokenizer fuzz target needs \(url.path) (run Scripts/fetch-models.sh): \(error)")
            }
        }
        tokenizers = loaded
        hasByte = loaded.map { tokenizer in Self.byteSymbols.map { tokenizer.tokenID(forStoredText: $0) != nil } }
    }

    /// GPT-2's byte-level alphabet: the printable bytes stand for themselves, the other 68 map to
    /// U+0100 onwards in byte order.
    static let byteSymbols: [String] = {
        var next = 0x100
        return (0..<256).map { byte in
            if (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte) {
                return String(UnicodeScalar(UInt8(byte)))
            }
            defer { next += 1 }
            return String(UnicodeScalar(UInt16(next))!)
        }
    }()

    func run(_ bytes: UnsafeRawBufferPointer) {
        guard let mode = bytes.first else { return }
        let tokenizer = tokenizers[Int(mode & 1)]
        let body = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
        if mode & 4 != 0 {
            decode(ids: body, tokenizer: tokenizer)
        } else {
            encode(text: String(decoding: body, as: UTF8.self), parseSpecial: mode & 2 != 0,
                   tokenizer: tokenizer, hasByte: hasByte[Int(mode & 1)])
        }
    }

    private func encode(text: String, parseSpecial: Bool, tokenizer: Tokenizer, hasByte: [Bool]) {
        let ids = tokenizer.encode(text, addSpecial: false, parseSpecial: parseSpecial)
        for id in ids { require((0..<tokenizer.vocabularySize).contains(id), "encode gave id \(id) outside the vocabulary") }
        let decoded: [UInt8]
        do { decoded = try tokenizer.decodeBytes(ids) } catch { preconditionFailure("decoding encoded ids threw \(error)") }
        let representable = text.utf8.filter { hasByte[Int($0)] }
        require(decoded == representable, "decode(encode(text)) differs from the text: \(Array(text.utf8)) -> \(ids)")
        require(streamed(ids, tokenizer: tokenizer) == String(decoding: decoded, as: UTF8.self),
                "streaming detokenization differs from decode")
    }

    private func decode(ids body: UnsafeRawBufferPointer, tokenizer: Tokenizer) {
        var ids: [Int] = []
        var index = 0
        while index + 3 <= body.count {
            ids.append(Int(body[index]) | Int(body[index + 1]) << 8 | Int(body[index + 2]) << 16)
            index += 3
        }
        let valid = ids.allSatisfy { (0..<tokenizer.vocabularySize).contains($0) }
        do {
            let text = try tokenizer.decode(ids, renderSpecial: ids.count % 2 == 0)
            require(valid, "decode accepted an id outside the vocabulary")
            let bytes = try tokenizer.decodeBytes(ids, renderSpecial: ids.count % 2 == 0)
            require(text == String(decoding: bytes, as: UTF8.self), "decode and decodeBytes disagree")
            if ids.count % 2 == 0 {
                require(streamed(ids, tokenizer: tokenizer) == text, "streaming detokenization differs from decode")
            }
        } catch {
            require(!valid, "decode threw \(error) for ids inside the vocabulary")
        }
    }

    /// The text of `ids` given one id at a time to a streaming detokenizer.
    private func streamed(_ ids: [Int], tokenizer: Tokenizer) -> String {
        var detokenizer = StreamingDetokenizer(tokenizer: tokenizer)
        var text = ""
        for id in ids {
            do { text += try detokenizer.append(id) } catch { preconditionFailure("streaming a valid id threw \(error)") }
        }
        return text + detokenizer.finish()
    }
}
