/// Runs one graph on two backends and names the first node whose output differs: how a
/// backend that gives garbled output on some driver is narrowed down to one op.
///
/// Every node's result is computed by evaluating the graph's prefix that ends at it, on
/// both backends, from the same inputs. Attention nodes store the same keys and values at
/// the same positions each time, so repeated prefixes leave the caches consistent. The
/// search bisects, assuming that once a tensor differs every later one does too (errors
/// propagate through the residual stream), so it needs about log2(nodes) prefixes.
public struct GraphComparison {
    /// One side of the comparison.
    public struct Side {
        /// The backend.
        public var backend: any Backend
        /// Weights loaded by that backend.
        public var weights: any LoadedWeights
        /// A cache made by that backend.
        public var cache: any KVCacheStorage

        /// Loads `model`'s weights on `backend` and makes a cache of `capacity` positions.
        public init(backend: any Backend, model: TransformerModel, capacity: Int, cacheType: KVCacheType = .f16) throws {
            self.backend = backend
            self.weights = try backend.loadWeights(model.weights)
            self.cache = try backend.makeKVCache(model.cacheSpec(capacity: capacity, type: cacheType))
        }
    }

    /// How one node's outputs compare.
    public struct NodeDifference: Sendable, CustomStringConvertible {
        /// The node's index in the graph.
        public var index: Int
        /// The node's op.
        public var op: OpKind
        /// RMS of the difference divided by RMS of the reference (side `a`).
        public var relativeError: Float
        /// The largest absolute difference.
        public var maxDifference: Float

        /// "node 17 (matmul): relative error 0.0012, max difference 0.03".
        public var description: String {
            "node \(index) (\(op.rawValue)): relative error \(relativeError), max difference \(maxDifference)"
        }
    }

    /// The two sides.
    public var a: Side
    public var b: Side

    /// Compares two sides.
    public init(a: Side, b: Side) {
        self.a = a
        self.b = b
    }

    /// Compares node `index`'s output on both sides.
    public func compare(_ graph: Graph, node index: Int, inputs: GraphInputs) throws -> NodeDifference {
        let prefix = graph.prefix(through: index)
        let x = try a.backend.execute(prefix, inputs: inputs, weights: a.weights, cache: a.cache)
        let y = try b.backend.execute(prefix, inputs: inputs, weights: b.weights, cache: b.cache)
        var diff2: Double = 0, ref2: Double = 0
        var maxDiff: Float = 0
        for (u, v) in zip(x, y) {
            let d = v - u
            if d.isNaN { maxDiff = .nan; diff2 = .infinity; continue }
            diff2 += Double(d * d)
            ref2 += Double(u * u)
            maxDiff = max(maxDiff, abs(d))
        }
        if x.count != y.count { diff2 = .infinity }
        let relative = Float((diff2 / max(ref2, 1e-30)).squareRoot())
        return NodeDifference(index: index, op: graph.nodes[index].op.kind, relativeError: relative, maxDifference: maxDiff)
    }

    /// The first node whose relative error exceeds `tolerance`, or nil when the output
    /// (the last node) agrees. `visited` receives every node compared, in order.
    public func firstDifference(_ graph: Graph, inputs: GraphInputs, tolerance: Float,
                                 visited: (NodeDifference) -> Void = { _ in }) throws -> NodeDifference? {
        let last = graph.nodes.count - 1
        guard last >= 0 else { return nil }
        let end = try compare(graph, node: last, inputs: inputs)
        visited(end)
        guard !(end.relativeError <= tolerance) else { return nil }
        var bad = end
        var lo = 0, hi = last  // the first difference is in lo...hi
        while lo < hi {
            let mid = (lo + hi) / 2
            let d = try compare(graph, node: mid, inputs: inputs)
            visited(d)
            if d.relativeError <= tolerance {
                lo = mid + 1
            } else {
                hi = mid
                bad = d
            }
        }
        return bad.index == lo ? bad : try compare(graph, node: lo, inputs: inputs)
    }
}
