/// A ``BatchEvaluationSession`` over a ``TransformerModel`` on any ``Backend``: one KV cache with
/// a slot per sequence, and graphs whose rows carry their own sequence and position
/// (``GraphInputs``), so that one execution evaluates tokens of several sequences and its matrix
/// products read the weights once for all of them.
///
/// More sequences than the backend's ``BackendCapabilities/maxSequences`` (the CPU and Vulkan
/// backends take any number; a plugged-in backend may take fewer) fail with ``BackendError/multipleSequences(backend:)`` before any cache is made.
package final class MultiSequenceSession: BatchEvaluationSession {
    /// The model.
    package let model: TransformerModel
    /// The backend that runs it.
    package let backend: any Backend
    private let weights: any LoadedWeights
    private let cache: any KVCacheStorage
    /// The most rows evaluated in one graph execution.
    package let maxBatch: Int
    private var graphs: GraphCache
    private var sequenceTokens: [[Int32]]

    /// A session of `sequences` sequences with `capacity` positions each.
    package init(model: TransformerModel, backend: any Backend, weights: (any LoadedWeights)? = nil, capacity: Int,
                 sequences: Int, cacheType: KVCacheType = .f16, maxBatch: Int = 128) throws {
        guard capacity > 0 else { throw EvaluationError.contextFull(capacity: 0, requested: 1) }
        guard sequences <= backend.capabilities.maxSequences else {
            throw BackendError.multipleSequences(backend: backend.name)
        }
        self.model = model
        self.backend = backend
        self.weights = try weights ?? backend.loadWeights(model.weights)
        self.cache = try backend.makeKVCache(model.cacheSpec(capacity: capacity, type: cacheType, sequences: max(1, sequences)))
        self.maxBatch = max(1, maxBatch)
        self.graphs = GraphCache(model: model)
        self.sequenceTokens = Array(repeating: [], count: max(1, sequences))
        try backend.validate(model.graph(batchSize: 1, allLogits: false), weights: model.weights)
    }

    /// Number of sequences.
    package var sequenceCount: Int { sequenceTokens.count }
    /// Number of logits per position.
    package var vocabularySize: Int { model.vocabularySize }
    /// Positions each sequence holds.
    package var capacity: Int { cache.spec.capacity }

    /// The tokens in sequence `sequence`'s cache.
    package func tokens(of sequence: Int) -> [Int32] { sequenceTokens[sequence] }

    /// Forgets the tokens of `sequence` at `count` and later.
    package func truncate(_ sequence: Int, to count: Int) {
        let tokens = sequenceTokens[sequence]
        if count < tokens.count { sequenceTokens[sequence].removeLast(tokens.count - max(0, count)) }
    }

    /// Sequence `sequence` as an ``EvaluationSession``.
    package func session(_ sequence: Int) -> any EvaluationSession { SequenceView(owner: self, sequence: sequence) }

    /// Evaluates `newTokens` of one sequence in batches of at most ``maxBatch``; returns the last
    /// one's logits. `shouldContinue` is asked between batches.
    package func evaluate(_ newTokens: [Int32], sequence: Int, shouldContinue: () -> Bool) throws -> [Float] {
        try check([SequencePart(sequence: sequence, tokens: newTokens)])
        var logits: [Float] = []
        var start = 0
        while start < newTokens.count {
            if start > 0 && !shouldContinue() { throw EvaluationError.cancelled }
            let batch = Array(newTokens[start..<min(start + maxBatch, newTokens.count)])
            let inputs = GraphInputs(tokens: batch, startPosition: sequenceTokens[sequence].count, sequence: sequence)
            logits = try backend.execute(graphs.graph(batch: batch.count, allLogits: false), inputs: inputs,
                                         weights: weights, cache: cache)
            sequenceTokens[sequence].append(contentsOf: batch)
            start += batch.count
        }
        return logits
    }

    /// Evaluates `newTokens` of one sequence and calls `body(i, logits)` with the logits after
    /// each of them, in order (`logits` holds `vocabularySize` values and is valid only during
    /// the call).
    package func evaluateAll(_ newTokens: [Int32], sequence: Int, batch: Int = 32,
                             _ body: (Int, UnsafeBufferPointer<Float>) throws -> Void) throws {
        try check([SequencePart(sequence: sequence, tokens: newTokens)])
        var start = 0
        let vocabulary = vocabularySize
        while start < newTokens.count {
            let part = Array(newTokens[start..<min(start + max(1, batch), newTokens.count)])
            let inputs = GraphInputs(tokens: part, startPosition: sequenceTokens[sequence].count, sequence: sequence)
            let logits = try backend.execute(graphs.graph(batch: part.count, allLogits: true), inputs: inputs,
                                             weights: weights, cache: cache)
            sequenceTokens[sequence].append(contentsOf: part)
            try logits.withUnsafeBufferPointer { all in
                for r in 0..<part.count {
                    try body(start + r, UnsafeBufferPointer(rebasing: all[(r * vocabulary)..<((r + 1) * vocabulary)]))
                }
            }
            start += part.count
        }
    }

    /// Evaluates `newTokens` of one sequence in batches of up to ``maxBatch`` and returns the
    /// logits after each of them.
    package func evaluateEach(_ newTokens: [Int32], sequence: Int) throws -> [[Float]] {
        var rows: [[Float]] = []
        rows.reserveCapacity(newTokens.count)
        try evaluateAll(newTokens, sequence: sequence, batch: maxBatch) { _, logits in rows.append(Array(logits)) }
        return rows
    }

    /// A copy of `sequence`'s tokens and their keys and values.
    package func snapshot(of sequence: Int) throws -> SessionSnapshot {
        guard let cache = cache as? any KVCacheSnapshotting else { throw SnapshotError.unsupported(backend: backend.name) }
        let tokens = sequenceTokens[sequence]
        let spec = cache.spec
        return SessionSnapshot(tokens: tokens, layers: spec.layers, width: spec.width, type: spec.type,
                               bytes: cache.copyOut(sequence: sequence, count: tokens.count))
    }

    /// Replaces `sequence`'s tokens, keys and values with those of `snapshot`.
    package func restore(_ snapshot: SessionSnapshot, into sequence: Int) throws {
        guard let cache = cache as? any KVCacheSnapshotting else { throw SnapshotError.unsupported(backend: backend.name) }
        let spec = cache.spec
        guard snapshot.layers == spec.layers, snapshot.width == spec.width else {
            throw SnapshotError.layoutMismatch("\(snapshot.layers) layers of \(snapshot.width) values saved, "
                                               + "\(spec.layers) of \(spec.width) here")
        }
        guard snapshot.type == spec.type else {
            throw SnapshotError.layoutMismatch("\(snapshot.type.rawValue) cache saved, \(spec.type.rawValue) here")
        }
        guard snapshot.tokens.count <= spec.capacity else {
            throw SnapshotError.tooLong(tokens: snapshot.tokens.count, capacity: spec.capacity)
        }
        let expected = SessionSnapshot.byteCount(layers: spec.layers, width: spec.width, type: spec.type,
                                                 count: snapshot.tokens.count)
        guard snapshot.bytes.count == expected else {
            throw SnapshotError.layoutMismatch("\(snapshot.bytes.count) bytes of keys and values, \(expected) expected")
        }
        try graphs.checkTokens(snapshot.tokens)
        cache.copyIn(sequence: sequence, count: snapshot.tokens.count, from: snapshot.bytes)
        sequenceTokens[sequence] = snapshot.tokens
    }

    /// Evaluates the parts together: their rows go into one graph execution (several when they
    /// are more than ``maxBatch`` rows), and the logits after each part's last token come back.
    package func evaluate(_ parts: [SequencePart]) throws -> [[Float]] {
        try check(parts)
        var rows: [(part: Int, sequence: Int, token: Int32)] = []
        for (index, part) in parts.enumerated() {
            for token in part.tokens { rows.append((index, part.sequence, token)) }
        }
        var results = [[Float]](repeating: [], count: parts.count)
        let vocabulary = vocabularySize
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + maxBatch, rows.count)]
            var positions: [Int] = []
            var lengths: [Int: Int] = [:]
            for row in chunk {
                let position = lengths[row.sequence] ?? sequenceTokens[row.sequence].count
                positions.append(position)
                lengths[row.sequence] = position + 1
            }
            let inputs = GraphInputs(tokens: chunk.map(\.token), positions: positions, sequences: chunk.map(\.sequence))
            let logits = try backend.execute(graphs.graph(batch: chunk.count, allLogits: true), inputs: inputs,
                                             weights: weights, cache: cache)
            for row in chunk { sequenceTokens[row.sequence].append(row.token) }
            // A part's last row seen so far gives its logits (a later chunk may overwrite them).
            for (offset, row) in chunk.enumerated() {
                let next = start + offset + 1
                if next == rows.count || rows[next].part != row.part {
                    results[row.part] = Array(logits[(offset * vocabulary)..<((offset + 1) * vocabulary)])
                }
            }
            start += chunk.count
        }
        return results
    }

    private func check(_ parts: [SequencePart]) throws {
        var seen = Set<Int>()
        for part in parts {
            guard part.sequence >= 0, part.sequence < sequenceCount else {
                throw BackendError.unknownSequence(part.sequence, sequences: sequenceCount)
            }
            guard seen.insert(part.sequence).inserted else {
                throw GraphError(description: "sequence \(part.sequence) has two parts in one evaluation")
            }
            let requested = sequenceTokens[part.sequence].count + part.tokens.count
            if requested > capacity { throw EvaluationError.contextFull(capacity: capacity, requested: requested) }
            try graphs.checkTokens(part.tokens)
        }
    }
}

/// One sequence of a ``MultiSequenceSession`` seen as an ``EvaluationSession``.
private final class SequenceView: EvaluationSession {
    let owner: MultiSequenceSession
    let sequence: Int

    init(owner: MultiSequenceSession, sequence: Int) {
        self.owner = owner
        self.sequence = sequence
    }

    var vocabularySize: Int { owner.vocabularySize }
    var capacity: Int { owner.capacity }
    var tokens: [Int32] { owner.tokens(of: sequence) }
    func truncate(to count: Int) { owner.truncate(sequence, to: count) }
    func evaluate(_ newTokens: [Int32], shouldContinue: () -> Bool) throws -> [Float] {
        try owner.evaluate(newTokens, sequence: sequence, shouldContinue: shouldContinue)
    }
    func evaluateEach(_ newTokens: [Int32]) throws -> [[Float]] {
        try owner.evaluateEach(newTokens, sequence: sequence)
    }
    func snapshot() throws -> SessionSnapshot { try owner.snapshot(of: sequence) }
    func restore(_ snapshot: SessionSnapshot) throws { try owner.restore(snapshot, into: sequence) }
}
