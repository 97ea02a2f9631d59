import Minnow
import MinnowEngine

/// A scripted tokenizer: token id = index in `pieces`. Encoding takes the longest matching piece
/// at each position; every printable ASCII character and newline is a piece, so any ASCII text
/// encodes.
struct FakeCodec: TextCodec {
    static let eos: Int32 = 0
    static let bos: Int32 = 1
    let pieces: [String]
    let beginningOfSequence: Int32?

    /// A vocabulary of `<eos>`, `<bos>`, the ChatML and think tags, the extra pieces, then
    /// single characters.
    init(extraPieces: [String] = [], addsBOS: Bool = true) {
        var pieces = ["<eos>", "<bos>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
        for piece in extraPieces where !pieces.contains(piece) { pieces.append(piece) }
        for scalar in (32...126).map({ String(UnicodeScalar(UInt8($0))) }) + ["\n"] where !pieces.contains(scalar) {
            pieces.append(scalar)
        }
        self.pieces = pieces
        self.beginningOfSequence = addsBOS ? Self.bos : nil
    }

    var vocabularySize: Int { pieces.count }

    /// The id of a piece; traps only in tests on a misspelled piece.
    func id(_ piece: String) -> Int32 {
        guard let index = pieces.firstIndex(of: piece) else { fatalError("no piece \(piece)") }
        return Int32(index)
    }

    /// The ids for a sequence of pieces.
    func ids(_ pieces: [String]) -> [Int32] { pieces.map(id) }

    func encode(_ text: String, parseSpecialTokens: Bool) throws -> [Int32] {
        var ids: [Int32] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            var best: (Int, Int)?  // (id, length)
            for (index, piece) in pieces.enumerated() where index > 1 && rest.hasPrefix(piece) {
                let isSpecial = index < 6
                if isSpecial && !parseSpecialTokens { continue }
                if best == nil || piece.count > best!.1 { best = (index, piece.count) }
            }
            guard let (index, length) = best else { throw FakeError.unencodable(String(rest.prefix(1))) }
            ids.append(Int32(index))
            rest = rest.dropFirst(length)
        }
        return ids
    }

    func bytes(of token: Int32) -> [UInt8] {
        guard token > 1, Int(token) < pieces.count else { return [] }
        return Array(pieces[Int(token)].utf8)
    }

    func isEndOfGeneration(_ token: Int32) -> Bool { token == Self.eos || token == 3 }

    func text(_ ids: [Int32]) -> String {
        ids.map { String(decoding: bytes(of: $0), as: UTF8.self) }.joined()
    }
}

enum FakeError: Error { case unencodable(String) }

/// ChatML, optionally opening a `<think>` after the assistant header as R1 templates do.
struct FakeRenderer: PromptRenderer {
    var opensThink = false
    /// The tool-call format the fake template is taken to show.
    var toolCallFormat: ToolCallFormat = .hermes
    func render(_ messages: [ChatMessage], addGenerationPrompt: Bool) throws -> String {
        var text = ""
        for message in messages {
            text += "<|im_start|>\(message.role.rawValue)\n\(message.content)<|im_end|>\n"
        }
        if addGenerationPrompt { text += "<|im_start|>assistant\n" + (opensThink ? "<think>\n" : "") }
        return text
    }
}
