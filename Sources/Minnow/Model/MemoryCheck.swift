import Foundation
import MinnowEngine

/// Estimates of the memory a model needs and the memory the system has.
package enum MemoryCheck {
    /// Bytes the process keeps beside weights and KV cache (buffers, tokenizer, runtime).
    package static let overhead = 150 * 1_048_576

    /// The memory available to a new allocation: `MemAvailable` from `/proc/meminfo` on Linux,
    /// or the physical memory elsewhere. Nil when unknown.
    package static func availableBytes() -> Int? {
        #if os(Linux)
        return WeightPlacement.availableMemory()
        #else
        return Int(clamping: ProcessInfo.processInfo.physicalMemory)
        #endif
    }

    /// The `MemAvailable` line of a `/proc/meminfo` text, in bytes.
    package static func parseMemAvailable(_ meminfo: String) -> Int? {
        WeightPlacement.parseMemAvailable(meminfo)
    }

    /// Throws ``ModelError/insufficientMemory(required:available:)`` when `required` bytes are
    /// more than the available memory.
    package static func ensureAvailable(_ required: Int, available: Int? = availableBytes()) throws {
        guard let available else { return }
        if required > available {
            throw ModelError.insufficientMemory(required: required, available: available)
        }
    }
}
