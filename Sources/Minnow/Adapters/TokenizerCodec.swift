import MinnowGGUF

/// The model's tokenizer behind the ``TextCodec`` seam.
///
/// PROVISIONAL: waits for `MinnowTokenizer`; until then loading a real model stops here.
struct TokenizerCodec: TextCodec {
    init(file: GGUFFile) throws {
        throw ModelError.invalidTokenizer("the tokenizer is not available in this build yet")
    }
    func encode(_ text: String, parseSpecialTokens: Bool) throws -> [Int32] { [] }
    var beginningOfSequence: Int32? { nil }
    func bytes(of token: Int32) -> [UInt8] { [] }
    func isEndOfGeneration(_ token: Int32) -> Bool { true }
}
