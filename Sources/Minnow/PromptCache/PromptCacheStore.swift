import Foundation
import MinnowEngine

/// Saving an evaluation session's cache to a prompt cache file, and checking a file against a
/// model before putting its cache back.
enum PromptCacheStore {
    /// Writes `session`'s tokens, keys and values to `url` (atomically) under `header`.
    static func save(_ session: any EvaluationSession, header: PromptCacheHeader, to url: URL) throws {
        let snapshot: SessionSnapshot
        do {
            snapshot = try session.snapshot()
        } catch let error as SnapshotError {
            throw PromptCacheError.unsupportedBackend(error.description)
        }
        try PromptCacheFile.write(header: header, snapshot: snapshot, to: url)
    }

    /// An empty header for `model` (the sizes are filled in when written).
    static func header(_ kind: PromptCacheHeader.Kind, model: Model) -> PromptCacheHeader {
        PromptCacheHeader(kind: kind, modelIdentity: model.identity, modelName: model.info.name,
                          contextLength: model.info.contextLength, cacheType: "", tokenCount: 0, layers: 0,
                          width: 0, payloadBytes: 0)
    }

    /// Reads `url`, checks it against `model` and puts its cache into `session` (replacing what
    /// it held). Returns the header.
    static func restore(from url: URL, kind: PromptCacheHeader.Kind, model: Model,
                        into session: any EvaluationSession) throws -> PromptCacheHeader {
        let (header, snapshot) = try PromptCacheFile.read(url)
        guard header.kind == kind else { throw PromptCacheError.wrongKind(saved: header.kind.rawValue, expected: kind.rawValue) }
        guard header.modelIdentity == model.identity else {
            throw PromptCacheError.modelMismatch(saved: "\(header.modelName), \(header.modelIdentity)",
                                                 current: "\(model.info.name), \(model.identity)")
        }
        let current: SessionSnapshot
        do {
            current = try session.snapshot()
        } catch let error as SnapshotError {
            throw PromptCacheError.unsupportedBackend(error.description)
        }
        guard current.type == snapshot.type else {
            throw PromptCacheError.cacheTypeMismatch(saved: snapshot.type.rawValue, current: current.type.rawValue)
        }
        guard snapshot.tokens.count <= session.capacity else {
            throw PromptCacheError.contextTooSmall(tokens: snapshot.tokens.count, contextLength: session.capacity)
        }
        do {
            try session.restore(snapshot)
        } catch let error as SnapshotError {
            // The identity matched, so a layout difference means a damaged header.
            throw PromptCacheError.corrupted(error.description)
        } catch let error as EvaluationError {
            throw PromptCacheError.corrupted("\(error)")
        }
        return header
    }
}
