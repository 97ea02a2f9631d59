import Foundation

/// One row of `minnow bench`: a test on one backend with one thread count.
struct BenchResult: Sendable {
    /// The model file's name.
    var model: String
    /// Bytes of tensor data in the file.
    var modelBytes: Int
    /// Number of parameters (tensor elements).
    var parameters: Int
    /// Backend name: `cpu` or `vulkan`.
    var backend: String
    /// The backend's device in words.
    var device: String
    /// Threads (CPU backend; the Vulkan backend reports the CPU thread count it was given).
    var threads: Int
    /// The test.
    var test: BenchTest
    /// Tokens per second of each repetition.
    var samples: [Double]
    /// Debug or release.
    var build: String
    /// Weight bytes read per generated token (every matrix once, the embedding row aside).
    var weightBytesPerToken: Int
    /// Measured memory bandwidth in bytes per second for this thread count, if known.
    var bandwidth: Double?

    /// Mean and standard deviation of the samples.
    var statistics: BenchStatistics { BenchStatistics(samples) }

    /// For generation: bytes read per second ÷ bandwidth (1 = at the memory limit).
    var bandwidthFraction: Double? {
        guard case .generation = test, let bandwidth, bandwidth > 0 else { return nil }
        return Double(weightBytesPerToken) * statistics.mean / bandwidth
    }

    /// The JSON object for `--json`.
    var jsonObject: [String: Any] {
        var object: [String: Any] = [
            "model": model, "modelBytes": modelBytes, "parameters": parameters, "backend": backend,
            "device": device, "threads": threads, "test": test.name, "tokens": test.tokenCount,
            "tokensPerSecond": statistics.mean, "stddev": statistics.standardDeviation,
            "samples": samples, "build": build, "weightBytesPerToken": weightBytesPerToken,
        ]
        if let bandwidth { object["bandwidthBytesPerSecond"] = bandwidth }
        if let bandwidthFraction { object["bandwidthFraction"] = bandwidthFraction }
        return object
    }
}
