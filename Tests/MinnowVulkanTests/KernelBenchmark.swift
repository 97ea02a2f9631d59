import Foundation
import MinnowGGUF
import MinnowVulkan
import Testing

/// Timing of the matrix kernels (MINNOW_VULKAN_BENCH=1 only; prints, asserts nothing).
@Suite("Vulkan kernel timing", .enabled(if: ProcessInfo.processInfo.environment["MINNOW_VULKAN_BENCH"] == "1"))
struct KernelBenchmark {
    @Test("matmul timing")
    func matmul() throws {
        let device = try VulkanTestDevice.device()
        let kernels = VulkanKernels(device: device)
        let env = ProcessInfo.processInfo.environment
        if let v = env["MINNOW_VULKAN_VARIANT"] { try kernels.use(try VulkanVariant.choose(v, for: device.info)) }
        if let v = env["MM_SG"] { kernels.subgroupReduce = v == "1" }
        if let v = env["MM_WG"].flatMap(Int.init) { kernels.matmulWorkgroupSize = v }
        if let v = env["MM_ROWS"].flatMap(Int.init) { kernels.matmulRows = v }
        if let v = env["MM_ROW_PER_INVOCATION"] { kernels.rowPerInvocation = v == "1" }
        print("variant \(kernels.variant), row per invocation \(kernels.rowPerInvocation), subgroup reduce \(kernels.subgroupReduce), wg \(kernels.matmulWorkgroupSize), rows \(kernels.matmulRows)")
        let stream = try CommandStream(device: device)
        var rng = ReferenceQuant.Random(state: 1)
        for (type, rows, columns, tokens) in [(GGMLType.q4_1, 1536, 576, 1), (.q8_0, 1536, 576, 1), (.f32, 1536, 576, 1), (.q4_1, 1536, 576, 8)] {
            let data = ReferenceQuant.randomRows(type, rows: rows, columns: columns, rng: &rng)
            let weight = try data.withUnsafeBytes {
                try VulkanWeight(device: device, stream: stream, type: type, rows: rows, columns: columns, data: $0)
            }
            let x = try VulkanBuffer(device: device, size: tokens * columns * 4)
            let y = try VulkanBuffer(device: device, size: tokens * rows * 4)
            var times: [Double] = []
            for _ in 0..<5 {
                let t0 = Date()
                try stream.begin()
                try kernels.matmul(weight, input: x, output: y, columns: tokens, on: stream)
                try stream.submitAndWait()
                times.append(Date().timeIntervalSince(t0) * 1000)
            }
            print("matmul \(type.name) \(rows)x\(columns) tokens \(tokens): \(times.sorted()[2]) ms (median of 5)")
        }
    }
}
