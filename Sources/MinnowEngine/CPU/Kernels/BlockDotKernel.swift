/// A dot-product kernel for one weight format against its activation format, working on whole
/// rows of blocks. ``KernelDriver`` runs it over matrices.
package protocol BlockDotKernel {
    /// Elements per block.
    static var blockSize: Int { get }
    /// Bytes per weight block.
    static var weightBlockBytes: Int { get }
    /// Bytes per activation block.
    static var activationBlockBytes: Int { get }
    /// Σ w·x over `blocks` blocks of one weight row and one activation row.
    static func dot(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, blocks: Int) -> Float
    /// The same for four activation rows (`stride` bytes apart), decoding each weight block once.
    /// Each lane must equal what ``dot(_:_:blocks:)`` returns for that row, bit for bit, so that
    /// results do not depend on how tokens are batched.
    static func dot4(_ w: UnsafeRawPointer, _ a: UnsafeRawPointer, stride: Int, blocks: Int) -> SIMD4<Float>
}

/// Runs a ``BlockDotKernel`` over a ``DotProblem``.
package enum KernelDriver {
    /// Weight rows per tile in the matrix-matrix loop: a tile stays in L1/L2 while every
    /// activation row passes over it, so weights are read from memory once.
    static let rowTile = 16

    /// Computes `p` with kernel `K`.
    @inline(__always)
    package static func run<K: BlockDotKernel>(_ kernel: K.Type, _ p: DotProblem) {
        let blocks = p.count / K.blockSize
        if p.activationRows == 1 {
            for r in 0..<p.rows {
                p.out[r] = K.dot(p.weights + r * p.rowStride, p.activations, blocks: blocks)
            }
            return
        }
        var r0 = 0
        while r0 < p.rows {
            let r1 = min(r0 + rowTile, p.rows)
            var a = 0
            while a + 4 <= p.activationRows {
                let act = p.activations + a * p.activationStride
                for r in r0..<r1 {
                    let v = K.dot4(p.weights + r * p.rowStride, act, stride: p.activationStride, blocks: blocks)
                    p.out[a * p.outputStride + r] = v[0]
                    p.out[(a + 1) * p.outputStride + r] = v[1]
                    p.out[(a + 2) * p.outputStride + r] = v[2]
                    p.out[(a + 3) * p.outputStride + r] = v[3]
                }
                a += 4
            }
            while a < p.activationRows {
                let act = p.activations + a * p.activationStride
                for r in r0..<r1 {
                    p.out[a * p.outputStride + r] = K.dot(p.weights + r * p.rowStride, act, blocks: blocks)
                }
                a += 1
            }
            r0 = r1
        }
    }
}
