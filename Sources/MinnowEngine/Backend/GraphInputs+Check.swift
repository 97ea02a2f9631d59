extension GraphInputs {
    /// Checks that the inputs have one token, position and sequence per row of a `rows`-row
    /// graph, and that every row's sequence and position lie inside a cache of layout `spec`.
    public func check(rows: Int, cache spec: KVCacheSpec) throws {
        guard tokens.count == rows, positions.count == rows, sequences.count == rows else {
            throw GraphError(description: "graph for \(rows) tokens given \(tokens.count) tokens, "
                + "\(positions.count) positions, \(sequences.count) sequence ids")
        }
        for r in 0..<rows {
            guard sequences[r] >= 0, sequences[r] < spec.sequences else {
                throw BackendError.unknownSequence(sequences[r], sequences: spec.sequences)
            }
            guard positions[r] >= 0, positions[r] < spec.capacity else {
                throw BackendError.cacheOverflow(position: positions[r], capacity: spec.capacity)
            }
        }
    }
}
