import Foundation

/// Cached causal grouped-query attention on the CPU.
///
/// One task per (row, KV head): the keys and values of that head are read once per row and
/// serve all the query heads that share them.
package enum CPUAttention {
    /// Stores the batch's keys and values at their positions.
    static func store(keys: UnsafePointer<Float>, values: UnsafePointer<Float>, rows: Int, layer: Int,
                      startPosition: Int, cache: CPUKVCache) {
        let width = cache.spec.width
        for r in 0..<rows {
            cache.store(keys + r * width, into: cache.keys, layer: layer, position: startPosition + r)
            cache.store(values + r * width, into: cache.values, layer: layer, position: startPosition + r)
        }
    }

    /// Attention of row `row`'s query heads of KV head `kvHead` over positions 0...startPosition+row.
    static func attend(query: UnsafePointer<Float>, row: Int, kvHead: Int, layer: Int, startPosition: Int,
                       spec: AttentionSpec, cache: CPUKVCache, into out: UnsafeMutablePointer<Float>) {
        let group = spec.heads / spec.kvHeads
        let hs = spec.headSize
        let length = startPosition + row + 1
        let qRow = query + row * spec.heads * hs
        let outRow = out + row * spec.heads * hs
        let roundQuery = cache.spec.type == .f16
        withUnsafeTemporaryAllocation(of: Float.self, capacity: group * length + group * hs + hs) { scratch in
            guard let scores = scratch.baseAddress else { return }
            let q = scores + group * length
            let kv = q + group * hs
            for g in 0..<group {
                let h = kvHead * group + g
                for i in 0..<hs {
                    let v = qRow[h * hs + i]
                    // llama.cpp rounds the query to the cache's F16 before the K dot product.
                    q[g * hs + i] = roundQuery ? Half.toFloat(Half.fromFloat(v)) : v
                }
            }
            for j in 0..<length {
                cache.load(from: cache.keys, layer: layer, position: j, start: kvHead * hs, count: hs, into: kv)
                for g in 0..<group { scores[g * length + j] = FloatMath.dot(q + g * hs, kv, hs) * spec.scale }
            }
            for g in 0..<group {
                CPUElementwise.softmax(scores + g * length, rows: 1, n: length, into: scores + g * length)
                let o = outRow + (kvHead * group + g) * hs
                o.initialize(repeating: 0, count: hs)
            }
            for j in 0..<length {
                cache.load(from: cache.values, layer: layer, position: j, start: kvHead * hs, count: hs, into: kv)
                for g in 0..<group {
                    FloatMath.axpy(scores[g * length + j], kv, outRow + (kvHead * group + g) * hs, hs)
                }
            }
        }
    }
}
