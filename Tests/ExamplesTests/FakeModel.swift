import Foundation
import ChatREPLKit
import Minnow
import MinnowEngine

/// A byte-level tokenizer for tests: ids 0–255 are bytes, then a few special tokens.
struct ByteCodec: TextCodec {
    static let eos: Int32 = 256
    static let imStart: Int32 = 257
    static let imEnd: Int32 = 258
    static let think: Int32 = 259
    static let endThink: Int32 = 260
    static let vocabularySize = 261
    static let specials: [(String, Int32)] = [
        ("<|im_start|>", imStart), ("<|im_end|>", imEnd), ("<think>", think), ("</think>", endThink),
    ]

    func encode(_ text: String, parseSpecialTokens: Bool) throws -> [Int32] {
        var ids: [Int32] = []
        var rest = Substring(text)
        outer: while !rest.isEmpty {
            if parseSpecialTokens {
                for (piece, id) in Self.specials where rest.hasPrefix(piece) {
                    ids.append(id)
                    rest = rest.dropFirst(piece.count)
                    continue outer
                }
            }
            let character = rest.removeFirst()
            ids += String(character).utf8.map { Int32($0) }
        }
        return ids
    }

    var beginningOfSequence: Int32? { nil }

    func bytes(of token: Int32) -> [UInt8] {
        if token >= 0 && token < 256 { return [UInt8(token)] }
        return Self.specials.first { $0.1 == token }.map { Array($0.0.utf8) } ?? []
    }

    func isEndOfGeneration(_ token: Int32) -> Bool { token == Self.eos || token == Self.imEnd }

    static func text(_ ids: some Sequence<Int32>) -> String {
        String(decoding: ids.compactMap { $0 >= 0 && $0 < 256 ? UInt8($0) : nil }, as: UTF8.self)
    }
}

/// What the fake model answers, given the last user message.
typealias Responder = @Sendable (_ userMessage: String) -> String

/// A session whose "model" writes `responder(lastUserMessage)` after each assistant header,
/// then `<|im_end|>`. `<think>` … `</think>` in the reply become the special tokens.
final class ScriptedSession: EvaluationSession {
    let vocabularySize = ByteCodec.vocabularySize
    let capacity: Int
    private(set) var tokens: [Int32] = []
    let responder: Responder
    let delay: UInt32
    private var plannedReply: [Int32] = []
    private var replyStart = 0

    init(capacity: Int, delayMicroseconds: UInt32, responder: @escaping Responder) {
        self.capacity = capacity
        self.delay = delayMicroseconds
        self.responder = responder
    }

    func truncate(to count: Int) {
        tokens = Array(tokens.prefix(max(0, count)))
    }

    func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float] {
        if tokens.count + newTokens.count > capacity {
            throw EvaluationError.contextFull(capacity: capacity, requested: tokens.count + newTokens.count)
        }
        if delay > 0 { usleep(delay) }
        tokens += newTokens
        return nextLogits()
    }

    private static let header: [Int32] = [ByteCodec.imStart] + Array("assistant\n".utf8).map { Int32($0) }

    private func nextLogits() -> [Float] {
        // Find the last assistant header; the reply is planned from the user message before it.
        var headerEnd: Int?
        var index = tokens.count - Self.header.count
        while index >= 0 {
            if Array(tokens[index..<(index + Self.header.count)]) == Self.header {
                headerEnd = index + Self.header.count
                break
            }
            index -= 1
        }
        var next = ByteCodec.imEnd
        if let headerEnd {
            if replyStart != headerEnd || plannedReply.isEmpty {
                replyStart = headerEnd
                let user = lastUserMessage(before: headerEnd)
                plannedReply = (try? ByteCodec().encode(responder(user), parseSpecialTokens: true)) ?? []
            }
            let generated = tokens.count - headerEnd
            if generated < plannedReply.count { next = plannedReply[generated] }
        }
        var logits = [Float](repeating: 0, count: vocabularySize)
        logits[Int(next)] = 20
        return logits
    }

    private func lastUserMessage(before end: Int) -> String {
        let marker: [Int32] = [ByteCodec.imStart] + Array("user\n".utf8).map { Int32($0) }
        var index = end - marker.count
        while index >= 0 {
            if Array(tokens[index..<(index + marker.count)]) == marker {
                let start = index + marker.count
                let stop = tokens[start..<end].firstIndex(of: ByteCodec.imEnd) ?? end
                return ByteCodec.text(tokens[start..<stop])
            }
            index -= 1
        }
        return ""
    }
}

/// A runtime of scripted sessions.
struct ScriptedRuntime: ModelRuntime {
    var capacity: Int
    var delayMicroseconds: UInt32 = 0
    var responder: Responder

    func makeSession() throws -> any EvaluationSession {
        return ScriptedSession(capacity: capacity, delayMicroseconds: delayMicroseconds, responder: responder)
    }

    func makeBatchSession(sequences: Int) throws -> any BatchEvaluationSession {
        SeparateSessions(try (0..<sequences).map { _ in try makeSession() })
    }
}

/// A fake ``Model`` with ChatML prompts and the byte codec.
func scriptedModel(capacity: Int = 2048, delayMicroseconds: UInt32 = 0, responder: @escaping Responder) -> Model {
    let runtime = ScriptedRuntime(capacity: capacity, delayMicroseconds: delayMicroseconds, responder: responder)
    let info = ModelInfo(name: "scripted", architecture: "test", contextLength: capacity,
                         trainedContextLength: capacity, vocabularySize: ByteCodec.vocabularySize, fileSize: 0)
    return Model(info: info, runtime: runtime, codec: ByteCodec(), renderer: ChatMLRenderer())
}

/// Collects everything written, for assertions.
final class CollectingOutput: ChatOutput, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    func write(_ text: String) {
        lock.lock(); buffer += text; lock.unlock()
    }
    var text: String {
        lock.lock(); defer { lock.unlock() }
        return buffer
    }
}
