import Foundation

/// How rotary position embeddings pair the dimensions of a head.
public enum RoPEStyle: Sendable, Equatable {
    /// Adjacent pairs (x[2i], x[2i+1]): llama.
    case normal
    /// Halves (x[i], x[i + d/2]): qwen2 (GPT-NeoX style).
    case neox
}

/// Llama 3 frequency scaling, as `rope_scaling.type = "llama3"` describes it.
public struct Llama3RoPEScaling: Sendable, Equatable {
    /// Ratio by which long wavelengths are stretched (`rope.scaling.factor`).
    public var factor: Float
    /// `rope.scaling.low_freq_factor`.
    public var lowFrequencyFactor: Float
    /// `rope.scaling.high_freq_factor`.
    public var highFrequencyFactor: Float
    /// `rope.scaling.original_context_length`.
    public var originalContextLength: Int

    /// Creates a llama3 scaling description.
    public init(factor: Float, lowFrequencyFactor: Float, highFrequencyFactor: Float, originalContextLength: Int) {
        self.factor = factor
        self.lowFrequencyFactor = lowFrequencyFactor
        self.highFrequencyFactor = highFrequencyFactor
        self.originalContextLength = originalContextLength
    }

    /// The divisor of each pair's frequency (what llama.cpp stores as `rope_freqs.weight`).
    public func frequencyFactors(dimensions: Int, frequencyBase: Float) -> [Float] {
        let half = dimensions / 2
        let lowWavelength = Double(originalContextLength) / Double(lowFrequencyFactor)
        let highWavelength = Double(originalContextLength) / Double(highFrequencyFactor)
        return (0..<half).map { i in
            let frequency = pow(Double(frequencyBase), -2.0 * Double(i) / Double(dimensions))
            let wavelength = 2 * Double.pi / frequency
            if wavelength < highWavelength { return 1 }
            if wavelength > lowWavelength { return factor }
            // Blend between "keep" and "divide by factor".
            let smooth = (Double(originalContextLength) / wavelength - Double(lowFrequencyFactor))
                / Double(highFrequencyFactor - lowFrequencyFactor)
            return Float(1 / ((1 - smooth) / Double(factor) + smooth))
        }
    }
}

/// Everything needed to rotate the query and key heads.
public struct RoPEConfig: Sendable, Equatable {
    /// Pairing of dimensions.
    public var style: RoPEStyle
    /// Number of rotated dimensions per head (the head size for the supported models).
    public var dimensions: Int
    /// Frequency base θ (`rope.freq_base`).
    public var frequencyBase: Float
    /// Per-pair frequency divisors (llama3 scaling), or nil for none.
    public var frequencyFactors: [Float]?

    /// Creates a RoPE description.
    public init(style: RoPEStyle, dimensions: Int, frequencyBase: Float, frequencyFactors: [Float]? = nil) {
        self.style = style
        self.dimensions = dimensions
        self.frequencyBase = frequencyBase
        self.frequencyFactors = frequencyFactors
    }

    /// Cosines and sines of the `dimensions / 2` angles at `position`, as ggml computes them:
    /// θ_i = position · base^(−2i/d) / factor_i, the power taken by repeated Float products.
    public func angles(position: Int, cos cosOut: UnsafeMutablePointer<Float>, sin sinOut: UnsafeMutablePointer<Float>) {
        let thetaScale = powf(frequencyBase, -2 / Float(dimensions))
        var theta = Float(position)
        for i in 0..<(dimensions / 2) {
            var angle = theta
            if let factors = frequencyFactors, i < factors.count { angle /= factors[i] }
            cosOut[i] = cosf(angle)
            sinOut[i] = sinf(angle)
            theta *= thetaScale
        }
    }
}
