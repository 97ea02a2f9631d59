import MinnowEngine

/// A step's command buffer kept for replay (issue 18, "fewer round trips"): the dispatches,
/// barriers and descriptor sets of one graph on one weight set and one KV cache, recorded once
/// and submitted again for every later step of the same graph.
///
/// A replay only rewrites the plan's host-visible inputs (token ids, cache rows, RoPE tables),
/// so the recording must not depend on anything else of a step: positions reach `kv_store`
/// and `attention` through the cache-rows buffer, and attention's score stride is fixed per
/// recording (``fixedScoreStride(graph:capacity:limit:)``). The weights and the cache are held
/// weakly, so a recording never matches an object allocated later at the same address; the
/// command stream retains the buffers it binds until the recording is dropped
/// (``isStale`` tells the backend when to drop it).
package final class VulkanStepRecording {
    /// The stream whose ended command buffer and descriptor sets are replayed.
    let stream: CommandStream
    /// The graph recorded.
    let graph: Graph
    /// The matmul shader variant the dispatches use.
    let variant: VulkanVariant
    /// The weights bound, weakly.
    private weak var weights: VulkanWeights?
    /// The KV cache bound, weakly.
    private weak var cache: VulkanKVCache?

    /// The most bytes of attention scores a position-independent recording may keep in the
    /// scratch buffer: a decode step of a 32k-token cache with 14 heads takes 1.8 MiB.
    package static let scoreBudget = 64 << 20

    /// Wraps `stream`, whose reusable recording of `graph` has been submitted once.
    init(stream: CommandStream, graph: Graph, variant: VulkanVariant, weights: VulkanWeights, cache: VulkanKVCache) {
        self.stream = stream
        self.graph = graph
        self.variant = variant
        self.weights = weights
        self.cache = cache
    }

    /// Whether this recording executes `graph` with `variant` on these very objects.
    func matches(_ graph: Graph, variant: VulkanVariant, weights: VulkanWeights, cache: VulkanKVCache) -> Bool {
        self.weights === weights && self.cache === cache && self.variant == variant && self.graph == graph
    }

    /// Whether the weights or the cache it binds are gone: it can never match again, and it
    /// only keeps their buffers alive.
    var isStale: Bool { weights == nil || cache == nil }

    /// The attention score stride that makes `graph`'s recording independent of positions:
    /// the cache's `capacity` (no position reaches it), when every attention node's
    /// rows × heads × capacity floats fit one scratch binding (`limit` bytes) and
    /// ``scoreBudget``. Otherwise nil: the stride is then the step's largest position + 1 and
    /// the recording is not kept.
    package static func fixedScoreStride(graph: Graph, capacity: Int, limit: Int) -> Int? {
        let bound = min(limit, scoreBudget)
        for node in graph.nodes {
            guard case .attention(_, _, _, _, let spec) = node.op else { continue }
            let (product, overflow) = node.shape.rows.multipliedReportingOverflow(by: spec.heads * capacity * 4)
            if overflow || product > bound { return nil }
        }
        return capacity
    }
}
