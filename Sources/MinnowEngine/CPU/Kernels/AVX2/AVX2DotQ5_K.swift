#if canImport(MinnowX86AVX2)
import MinnowX86AVX2
import _Builtin_intrinsics.intel

/// Q5_K weights · Q8_K activations with AVX2: ``AVX2DotQ4_K``'s scheme with a fifth bit per quant.
enum AVX2DotQ5_K: BlockDotKernel {
    static var blockSize: Int { 256 }
    static var weightBlockBytes: Int { 176 }
    static var activationBlockBytes: Int { 292 }

    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float {
        AVX2DotQ4_K.dot(w, a, blocks: blocks, blockBytes: 176, quantsOffset: 48, fifthBitsOffset: 16)
    }

    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float> {
        AVX2DotQ4_K.dot4(w, a, stride: stride, blocks: blocks, blockBytes: 176, quantsOffset: 48, fifthBitsOffset: 16)
    }
}
#endif
