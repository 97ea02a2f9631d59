import Foundation

/// Where the CPU backend reads matrix weights from.
package enum WeightPlacement: Sendable, Equatable {
    /// In place, from the memory map of the model file: no extra memory.
    case mapped
    /// Copied on first use into anonymous memory, repacked into the kernel's interleaved layout
    /// where it has one (the file's pages are then dropped from the resident set, so the weights
    /// are held once). Needed for the repacked prompt kernels.
    case copied
    /// `copied` on Linux when the matrices take at most half of the available memory, else
    /// `mapped`. The environment variable `MINNOW_WEIGHT_COPY` (`1` or `0`) overrides it.
    case automatic

    /// Whether matrices of `matrixBytes` in total are copied.
    package func copies(matrixBytes: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        switch self {
        case .mapped: return false
        case .copied: return true
        case .automatic:
            if let forced = environment["MINNOW_WEIGHT_COPY"] { return forced == "1" }
            #if os(Linux)
            guard let available = WeightPlacement.availableMemory() else { return false }
            return matrixBytes <= available / 2
            #else
            return false
            #endif
        }
    }

    /// `MemAvailable` from /proc/meminfo, in bytes (Linux), or nil.
    package static func availableMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        return parseMemAvailable(text)
    }

    /// The `MemAvailable` line of a `/proc/meminfo` text, in bytes.
    package static func parseMemAvailable(_ meminfo: String) -> Int? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kib = Int(fields[1]) else { return nil }
            return kib * 1024
        }
        return nil
    }
}
