/// The operands of one call of a CPU matrix kernel: `rows` weight rows times `activationRows`
/// converted activation rows, each of `count` elements.
///
/// The kernel writes `output[a * outputStride + r]` = (weight row `r`) · (activation row `a`)
/// for every `r` in `0..<rows` and `a` in `0..<activationRows`. Weight rows are in the model
/// file's block layout for the kernel's weight type; activation rows are in the kernel's
/// ``CPUActivationFormat``. The pointers are valid only during the call; the backend calls a
/// kernel from several threads at once, on disjoint row ranges.
public struct CPUDotOperands {
    /// The first weight row.
    public var weights: UnsafeRawPointer
    /// Bytes from one weight row to the next.
    public var rowStride: Int
    /// Number of weight rows.
    public var rows: Int
    /// The first converted activation row.
    public var activations: UnsafeRawPointer
    /// Bytes from one activation row to the next.
    public var activationStride: Int
    /// Number of activation rows (tokens of the batch).
    public var activationRows: Int
    /// Elements per row (a whole number of the weight type's blocks).
    public var count: Int
    /// Where the products go.
    public var output: UnsafeMutablePointer<Float>
    /// Floats from one activation row's outputs to the next.
    public var outputStride: Int

    /// Operands of one call.
    public init(weights: UnsafeRawPointer, rowStride: Int, rows: Int, activations: UnsafeRawPointer,
                activationStride: Int, activationRows: Int, count: Int,
                output: UnsafeMutablePointer<Float>, outputStride: Int) {
        self.weights = weights
        self.rowStride = rowStride
        self.rows = rows
        self.activations = activations
        self.activationStride = activationStride
        self.activationRows = activationRows
        self.count = count
        self.output = output
        self.outputStride = outputStride
    }
}
