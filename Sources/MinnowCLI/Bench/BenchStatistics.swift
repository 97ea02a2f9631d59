/// Mean and sample standard deviation of repeated measurements.
struct BenchStatistics: Sendable, Equatable {
    /// The mean.
    let mean: Double
    /// The sample standard deviation (n − 1); 0 for a single sample.
    let standardDeviation: Double

    /// Summarizes `samples` (empty: zeros).
    init(_ samples: [Double]) {
        guard !samples.isEmpty else {
            mean = 0
            standardDeviation = 0
            return
        }
        let m = samples.reduce(0, +) / Double(samples.count)
        mean = m
        if samples.count < 2 {
            standardDeviation = 0
        } else {
            let squares = samples.reduce(0) { $0 + ($1 - m) * ($1 - m) }
            standardDeviation = (squares / Double(samples.count - 1)).squareRoot()
        }
    }
}
