import Foundation
import MinnowCPUKernels

/// Cached causal grouped-query attention on the CPU.
///
/// One task per (row, KV head): each cached key and value of that head is read once per row and
/// serves all the query heads that share it.
///
/// With an F16 cache and a head size that is a multiple of 16, keys and values are converted 16 at
/// a time with integer SIMD: 16 halves loaded as 8 32-bit words give the even elements (low
/// halves) and the odd ones (high halves). The queries and the output accumulators use the same
/// even-then-odd order inside each block of 16, so no shuffle is needed until the very end.
package enum CPUAttention {
    /// Stores the batch's keys and values, each row in its sequence at its position.
    static func store(keys: UnsafePointer<Float>, values: UnsafePointer<Float>, layer: Int,
                      inputs: GraphInputs, cache: CPUKVCache) {
        let width = cache.spec.width
        for r in inputs.positions.indices {
            let sequence = inputs.sequences[r], position = inputs.positions[r]
            cache.store(keys + r * width, into: cache.keys, layer: layer, sequence: sequence, position: position)
            cache.store(values + r * width, into: cache.values, layer: layer, sequence: sequence, position: position)
        }
    }

    /// Eight halves (in the low or high 16 bits of `h`) as Floats. Finite values only: the cache
    /// holds no infinities.
    @inline(__always)
    static func floats(_ h: SIMD8<UInt32>) -> SIMD8<Float> {
        // Exponent and mantissa moved into Float position, rebiased by a multiply (exact, and right
        // for subnormals too), then the sign.
        let magnitude = unsafeBitCast((h & 0x7FFF) &<< 13, to: SIMD8<Float>.self) * 0x1p112
        return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD8<UInt32>.self) | ((h & 0x8000) &<< 16), to: SIMD8<Float>.self)
    }

    /// 16 halves at `p` as Floats, even elements first, then odd ones.
    @inline(__always)
    static func block(_ p: UnsafeRawPointer) -> SIMD16<Float> {
        let words = p.loadUnaligned(as: SIMD8<UInt32>.self)
        return SIMD16(lowHalf: floats(words & 0xFFFF), highHalf: floats(words &>> 16))
    }

    /// Where a row of the batch attends: its sequence, and its own position (the last it reads).
    package struct Target {
        package var sequence: Int
        package var position: Int

        /// A row of `sequence` at `position`.
        package init(sequence: Int, position: Int) {
            self.sequence = sequence
            self.position = position
        }
    }

    /// Attention of row `row`'s query heads of KV head `kvHead` over positions 0...target.position
    /// of the row's sequence.
    /// `native` is the kernel variant's C attention for an F16 cache, if it has one.
    package static func attend(query: UnsafePointer<Float>, row: Int, kvHead: Int, layer: Int, target: Target,
                       spec: AttentionSpec, cache: CPUKVCache, native: minnow_attention_fn? = nil,
                       into out: UnsafeMutablePointer<Float>) {
        if let native, cache.spec.type == .f16 {
            attendNative(native, query: query, row: row, kvHead: kvHead, layer: layer, target: target, spec: spec,
                         cache: cache, into: out)
        } else if cache.spec.type == .f16 && spec.headSize % 16 == 0 {
            attendHalf(query: query, row: row, kvHead: kvHead, layer: layer, target: target, spec: spec, cache: cache, into: out)
        } else {
            attendGeneric(query: query, row: row, kvHead: kvHead, layer: layer, target: target, spec: spec, cache: cache, into: out)
        }
    }

    /// The C kernel of a variant (AVX2 or AVX-512 with F16C) for an F16 cache.
    private static func attendNative(_ kernel: minnow_attention_fn, query: UnsafePointer<Float>, row: Int, kvHead: Int,
                                     layer: Int, target: Target, spec: AttentionSpec, cache: CPUKVCache,
                                     into out: UnsafeMutablePointer<Float>) {
        let group = spec.heads / spec.kvHeads
        let hs = spec.headSize
        let length = target.position + 1
        let first = cache.offset(layer: layer, sequence: target.sequence, position: 0) + kvHead * hs * 2
        let heads = (row * spec.heads + kvHead * group) * hs
        withUnsafeTemporaryAllocation(of: Float.self, capacity: group * (length + hs)) { scratch in
            guard let scores = scratch.baseAddress else { return }
            var problem = minnow_attention_problem(
                query: query + heads,
                keys: UnsafeRawPointer(cache.keys + first).assumingMemoryBound(to: UInt16.self),
                values: UnsafeRawPointer(cache.values + first).assumingMemoryBound(to: UInt16.self),
                kv_stride: Int64(cache.spec.width), length: Int64(length), group: Int64(group), head_size: Int64(hs),
                scale: spec.scale, scores: scores, scratch_query: scores + group * length, out: out + heads)
            kernel(&problem)
        }
    }

    private static func attendHalf(query: UnsafePointer<Float>, row: Int, kvHead: Int, layer: Int, target: Target,
                                   spec: AttentionSpec, cache: CPUKVCache, into out: UnsafeMutablePointer<Float>) {
        let group = spec.heads / spec.kvHeads
        let hs = spec.headSize, blocks = hs / 16
        let length = target.position + 1
        let qRow = query + row * spec.heads * hs
        let outRow = out + row * spec.heads * hs
        let rowBytes = cache.spec.width * 2
        let first = cache.offset(layer: layer, sequence: target.sequence, position: 0)
        let keyBase = UnsafeRawPointer(cache.keys) + first + kvHead * hs * 2
        let valueBase = UnsafeRawPointer(cache.values) + first + kvHead * hs * 2
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 2 * group * blocks + (group * length + 15) / 16) { scratch in
            guard let q = scratch.baseAddress else { return }
            let acc = q + group * blocks
            let scores = UnsafeMutableRawPointer(acc + group * blocks).assumingMemoryBound(to: Float.self)
            // Queries, rounded to F16 as llama.cpp does before its K dot product, in even/odd order.
            for g in 0..<group {
                let h = qRow + (kvHead * group + g) * hs
                for b in 0..<blocks {
                    var v = SIMD16<Float>()
                    for k in 0..<8 {
                        v[k] = Half.toFloat(Half.fromFloat(h[16 * b + 2 * k]))
                        v[8 + k] = Half.toFloat(Half.fromFloat(h[16 * b + 2 * k + 1]))
                    }
                    q[g * blocks + b] = v
                }
            }
            for j in 0..<length {
                let k = keyBase + j * rowBytes
                for g in 0..<group {
                    var sum = SIMD16<Float>()
                    for b in 0..<blocks { sum += q[g * blocks + b] * block(k + 32 * b) }
                    scores[g * length + j] = sum.sum() * spec.scale
                }
            }
            for g in 0..<group {
                CPUElementwise.softmax(scores + g * length, rows: 1, n: length, into: scores + g * length)
                for b in 0..<blocks { acc[g * blocks + b] = SIMD16<Float>() }
            }
            for j in 0..<length {
                let v = valueBase + j * rowBytes
                for b in 0..<blocks {
                    let x = block(v + 32 * b)
                    for g in 0..<group { acc[g * blocks + b] += scores[g * length + j] * x }
                }
            }
            for g in 0..<group {
                let o = outRow + (kvHead * group + g) * hs
                for b in 0..<blocks {
                    let v = acc[g * blocks + b]
                    for k in 0..<8 {
                        o[16 * b + 2 * k] = v[k]
                        o[16 * b + 2 * k + 1] = v[8 + k]
                    }
                }
            }
        }
    }

    private static func attendGeneric(query: UnsafePointer<Float>, row: Int, kvHead: Int, layer: Int, target: Target,
                                      spec: AttentionSpec, cache: CPUKVCache, into out: UnsafeMutablePointer<Float>) {
        let group = spec.heads / spec.kvHeads
        let hs = spec.headSize
        let length = target.position + 1
        let sequence = target.sequence
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
                    q[g * hs + i] = roundQuery ? Half.toFloat(Half.fromFloat(v)) : v
                }
            }
            for j in 0..<length {
                cache.load(from: cache.keys, layer: layer, sequence: sequence, position: j, start: kvHead * hs, count: hs, into: kv)
                for g in 0..<group { scores[g * length + j] = FloatMath.dot(q + g * hs, kv, hs) * spec.scale }
            }
            for g in 0..<group {
                CPUElementwise.softmax(scores + g * length, rows: 1, n: length, into: scores + g * length)
                (outRow + (kvHead * group + g) * hs).initialize(repeating: 0, count: hs)
            }
            for j in 0..<length {
                cache.load(from: cache.values, layer: layer, sequence: sequence, position: j, start: kvHead * hs, count: hs, into: kv)
                for g in 0..<group {
                    FloatMath.axpy(scores[g * length + j], kv, outRow + (kvHead * group + g) * hs, hs)
                }
            }
        }
    }
}
