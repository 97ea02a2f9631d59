import Foundation
import MinnowEngine
import MinnowGGUF

/// A tiny random F32 model, with a naive Double-precision forward pass to check the engine against.
final class SyntheticModel {
    let config: TransformerConfig
    let vocabulary = 50
    var tensors: [(WeightInfo, [Float])] = []
    private var storage: [UnsafeMutableRawBufferPointer] = []

    init(architecture: ModelArchitecture, tied: Bool, seed: UInt64 = 1) throws {
        let arch = architecture.rawValue
        config = try TransformerConfig(metadata: DictionaryMetadata([
            "general.architecture": arch,
            "\(arch).embedding_length": 64, "\(arch).block_count": 2, "\(arch).feed_forward_length": 96,
            "\(arch).attention.head_count": 4, "\(arch).attention.head_count_kv": 2,
            "\(arch).attention.layer_norm_rms_epsilon": 1e-5, "\(arch).rope.freq_base": 10_000.0,
        ]))
        var state = seed
        func random(_ count: Int, scale: Float, offset: Float = 0) -> [Float] {
            (0..<count).map { _ in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return offset + scale * (Float(state >> 40) / Float(1 << 24) - 0.5)
            }
        }
        func add(_ name: String, _ shape: [Int], scale: Float = 0.6, offset: Float = 0) {
            tensors.append((WeightInfo(name: name, type: .f32, shape: shape), random(shape.reduce(1, *), scale: scale, offset: offset)))
        }
        let e = 64, f = 96, kv = 32 // head size 16: the F16 cache's SIMD path
        add("token_embd.weight", [e, vocabulary], scale: 2)
        for i in 0..<2 {
            add("blk.\(i).attn_norm.weight", [e], scale: 0.5, offset: 1)
            add("blk.\(i).attn_q.weight", [e, e])
            add("blk.\(i).attn_k.weight", [e, kv])
            add("blk.\(i).attn_v.weight", [e, kv])
            if architecture == .qwen2 {
                add("blk.\(i).attn_q.bias", [e])
                add("blk.\(i).attn_k.bias", [kv])
                add("blk.\(i).attn_v.bias", [kv])
            }
            add("blk.\(i).attn_output.weight", [e, e])
            add("blk.\(i).ffn_norm.weight", [e], scale: 0.5, offset: 1)
            add("blk.\(i).ffn_gate.weight", [e, f])
            add("blk.\(i).ffn_up.weight", [e, f])
            add("blk.\(i).ffn_down.weight", [f, e])
        }
        add("output_norm.weight", [e], scale: 0.5, offset: 1)
        if !tied { add("output.weight", [e, vocabulary]) }
    }

    deinit { for s in storage { s.deallocate() } }

    func weightSet() -> WeightSet {
        var data: [UnsafeRawBufferPointer] = []
        for (_, values) in tensors {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: values.count * 4, alignment: 64)
            values.withUnsafeBytes { buffer.copyMemory(from: $0) }
            storage.append(buffer)
            data.append(UnsafeRawBufferPointer(buffer))
        }
        return WeightSet(infos: tensors.map(\.0), data: data, owner: self)
    }

    private func w(_ name: String) -> [Double] { tensors.first { $0.0.name == name }!.1.map(Double.init) }

    /// Logits after each token of `tokens`, computed naively.
    func referenceLogits(_ tokens: [Int]) -> [[Double]] {
        let c = config, e = c.embeddingLength, hs = c.headSize
        let emb = w("token_embd.weight")
        var keys = [[[Double]]](repeating: [], count: c.blockCount)
        var values = [[[Double]]](repeating: [], count: c.blockCount)
        func matvec(_ m: [Double], _ x: [Double]) -> [Double] {
            let n = x.count
            return (0..<(m.count / n)).map { r in (0..<n).reduce(0.0) { $0 + m[r * n + $1] * x[$1] } }
        }
        func norm(_ x: [Double], _ weight: [Double]) -> [Double] {
            let ms = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
            let s = 1 / (ms + Double(c.rmsEpsilon)).squareRoot()
            return zip(x, weight).map { $0 * s * $1 }
        }
        func rope(_ v: inout [Double], heads: Int, position: Int) {
            for h in 0..<heads {
                for i in 0..<(hs / 2) {
                    let angle = Double(position) * pow(Double(c.rope.frequencyBase), -2 * Double(i) / Double(hs))
                    let (a, b) = c.rope.style == .neox ? (h * hs + i, h * hs + i + hs / 2) : (h * hs + 2 * i, h * hs + 2 * i + 1)
                    let x0 = v[a], x1 = v[b]
                    v[a] = x0 * cos(angle) - x1 * sin(angle)
                    v[b] = x0 * sin(angle) + x1 * cos(angle)
                }
            }
        }
        func bias(_ name: String, _ v: [Double]) -> [Double] {
            tensors.contains { $0.0.name == name } ? zip(v, w(name)).map(+) : v
        }
        var result: [[Double]] = []
        for (position, token) in tokens.enumerated() {
            var x = Array(emb[(token * e)..<((token + 1) * e)])
            for l in 0..<c.blockCount {
                let p = "blk.\(l)."
                let h = norm(x, w(p + "attn_norm.weight"))
                var q = bias(p + "attn_q.bias", matvec(w(p + "attn_q.weight"), h))
                var k = bias(p + "attn_k.bias", matvec(w(p + "attn_k.weight"), h))
                let v = bias(p + "attn_v.bias", matvec(w(p + "attn_v.weight"), h))
                rope(&q, heads: c.headCount, position: position)
                rope(&k, heads: c.kvHeadCount, position: position)
                keys[l].append(k)
                values[l].append(v)
                var attn = [Double](repeating: 0, count: e)
                for head in 0..<c.headCount {
                    let g = head / (c.headCount / c.kvHeadCount)
                    let scores = keys[l].map { key in
                        (0..<hs).reduce(0.0) { $0 + q[head * hs + $1] * key[g * hs + $1] } / Double(hs).squareRoot()
                    }
                    let m = scores.max()!
                    let ex = scores.map { exp($0 - m) }
                    let sum = ex.reduce(0, +)
                    for (j, value) in values[l].enumerated() {
                        for i in 0..<hs { attn[head * hs + i] += ex[j] / sum * value[g * hs + i] }
                    }
                }
                x = zip(x, matvec(w(p + "attn_output.weight"), attn)).map(+)
                let f = norm(x, w(p + "ffn_norm.weight"))
                let gate = matvec(w(p + "ffn_gate.weight"), f), up = matvec(w(p + "ffn_up.weight"), f)
                let m = zip(gate, up).map { $0 / (1 + exp(-$0)) * $1 }
                x = zip(x, matvec(w(p + "ffn_down.weight"), m)).map(+)
            }
            let out = tensors.contains { $0.0.name == "output.weight" } ? w("output.weight") : emb
            result.append(matvec(out, norm(x, w("output_norm.weight"))))
        }
        return result
    }
}
