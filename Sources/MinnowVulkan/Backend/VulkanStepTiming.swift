#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The phases of one `VulkanBackend.execute`, for `MINNOW_VULKAN_TIMING=1`: writing the
/// host-visible inputs, recording the command buffer (nothing when a recording is replayed),
/// submitting and waiting for it, and copying the output out of the mapped readback buffer.
struct VulkanStepTiming {
    /// Rows of the step's batch.
    let tokens: Int
    /// Seconds spent writing token ids, cache rows and RoPE tables.
    var inputs = 0.0
    /// Seconds spent recording (descriptor sets, dispatches, barriers).
    var recording = 0.0
    /// Seconds from submission to the fence.
    var wait = 0.0
    /// Seconds spent copying the output to the host array.
    var readback = 0.0
    /// Whether the step replayed a kept recording.
    var replayed = false
    private var last: Double

    /// Starts the clock.
    init(tokens: Int) {
        self.tokens = tokens
        last = Self.seconds()
    }

    /// Adds the time since the previous lap to `phase`.
    mutating func lap(_ phase: WritableKeyPath<VulkanStepTiming, Double>) {
        let now = Self.seconds()
        self[keyPath: phase] += now - last
        last = now
    }

    /// One line for standard error.
    func line(dispatches: Int, floats: Int) -> String {
        func ms(_ s: Double) -> String { String(Double(Int(s * 100_000)) / 100) }
        return "vulkan step (\(tokens) tokens, \(replayed ? "replayed" : "recorded") \(dispatches) dispatches): "
            + "inputs \(ms(inputs)) ms, record \(ms(recording)) ms, submit+wait \(ms(wait)) ms, "
            + "readback \(ms(readback)) ms (\(floats) floats)"
    }

    /// A monotonic clock, in seconds.
    static func seconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
