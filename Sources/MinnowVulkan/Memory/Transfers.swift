import CVulkan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension VulkanDevice {
    /// Copies `bytes` into `buffer` at `offset`: directly when the buffer is mapped, else
    /// through a host-visible staging buffer and a transfer submitted on `stream`'s queue.
    package func upload(_ bytes: UnsafeRawBufferPointer, to buffer: VulkanBuffer, offset: Int = 0,
                        stream: CommandStream) throws {
        guard offset >= 0, offset + bytes.count <= buffer.size else {
            throw VulkanError.invalidArgument("upload of \(bytes.count) bytes at \(offset) into a \(buffer.size)-byte buffer")
        }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if let mapped = buffer.mapped {
            memcpy(mapped + offset, base, bytes.count)
            return
        }
        let staging = try VulkanBuffer(device: self, size: bytes.count, placement: .host)
        guard let sp = staging.mapped else { throw VulkanError.unavailable("staging buffer is not mapped") }
        memcpy(sp, base, bytes.count)
        try stream.begin()
        stream.copy(from: staging, to: buffer, destinationOffset: offset, bytes: bytes.count)
        try stream.submitAndWait()
    }

    /// Copies `count` bytes out of `buffer` at `offset` into `destination`.
    package func download(_ buffer: VulkanBuffer, offset: Int = 0, into destination: UnsafeMutableRawBufferPointer,
                          stream: CommandStream) throws {
        let count = destination.count
        guard offset >= 0, offset + count <= buffer.size else {
            throw VulkanError.invalidArgument("download of \(count) bytes at \(offset) from a \(buffer.size)-byte buffer")
        }
        guard let dst = destination.baseAddress, count > 0 else { return }
        if let mapped = buffer.mapped {
            memcpy(dst, mapped + offset, count)
            return
        }
        let staging = try VulkanBuffer(device: self, size: count, placement: .host)
        try stream.begin()
        stream.copy(from: buffer, sourceOffset: offset, to: staging, bytes: count)
        try stream.submitAndWait()
        guard let sp = staging.mapped else { throw VulkanError.unavailable("staging buffer is not mapped") }
        memcpy(dst, sp, count)
    }

    /// Uploads float values.
    package func upload(_ values: [Float], to buffer: VulkanBuffer, offset: Int = 0, stream: CommandStream) throws {
        try values.withUnsafeBytes { try upload($0, to: buffer, offset: offset, stream: stream) }
    }

    /// Reads `count` floats starting at element `offset`.
    package func downloadFloats(_ buffer: VulkanBuffer, offset: Int = 0, count: Int, stream: CommandStream) throws -> [Float] {
        var out = [Float](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try download(buffer, offset: offset * 4, into: $0, stream: stream) }
        return out
    }
}
