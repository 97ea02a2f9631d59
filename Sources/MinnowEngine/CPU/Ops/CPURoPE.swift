/// Rotary position embedding on the CPU.
package enum CPURoPE {
    /// Rotates every head of `rows` rows (row r at position `startPosition + r`), in place.
    package static func apply(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headSize: Int,
                              startPosition: Int, config: RoPEConfig) {
        let half = config.dimensions / 2
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * half) { table in
            guard let cosines = table.baseAddress else { return }
            let sines = cosines + half
            for r in 0..<rows {
                config.angles(position: startPosition + r, cos: cosines, sin: sines)
                for h in 0..<heads {
                    let v = x + r * heads * headSize + h * headSize
                    switch config.style {
                    case .normal:
                        for i in 0..<half {
                            let a = v[2 * i], b = v[2 * i + 1]
                            v[2 * i] = a * cosines[i] - b * sines[i]
                            v[2 * i + 1] = a * sines[i] + b * cosines[i]
                        }
                    case .neox:
                        for i in 0..<half {
                            let a = v[i], b = v[i + half]
                            v[i] = a * cosines[i] - b * sines[i]
                            v[i + half] = a * sines[i] + b * cosines[i]
                        }
                    }
                }
            }
        }
    }
}
