import Foundation

/// What /proc/cpuinfo says about this machine's CPU.
package enum CPUInfo {
    /// "model name, SIMD features", such as `AMD EPYC 9R14 (AVX2 FMA AVX-512)`.
    package static let summary: String = {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        var model = "unknown CPU"
        var flags: Set<Substring> = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if key == "model name", model == "unknown CPU" { model = parts[1].trimmingCharacters(in: .whitespaces) }
            if key == "flags", flags.isEmpty { flags = Set(parts[1].split(separator: " ")) }
        }
        let named: [(String, String)] = [("avx2", "AVX2"), ("fma", "FMA"), ("f16c", "F16C"), ("avx512f", "AVX-512"), ("avx512_vnni", "VNNI")]
        let features = named.filter { flags.contains(Substring($0.0)) }.map(\.1)
        return features.isEmpty ? model : "\(model) (\(features.joined(separator: " ")))"
    }()
}
