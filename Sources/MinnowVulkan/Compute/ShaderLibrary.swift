import CVulkan
import MinnowVulkanShaders

/// The SPIR-V modules embedded by `Scripts/compile-shaders.sh`, looked up by variant name
/// (such as `matmul_q4_k` or `rms_norm`).
package enum ShaderLibrary {
    /// The names of all embedded variants.
    package static var names: [String] {
        guard let blobs = minnow_shader_blobs() else { return [] }
        return (0..<minnow_shader_blob_count()).compactMap { i in blobs[i].name.map { String(cString: $0) } }
    }

    /// The SPIR-V words of a variant, or nil when it is not embedded.
    static func words(_ name: String) -> UnsafeBufferPointer<UInt32>? {
        guard let blobs = minnow_shader_blobs() else { return nil }
        for i in 0..<minnow_shader_blob_count() {
            let blob = blobs[i]
            if let n = blob.name, String(cString: n) == name, let words = blob.words {
                return UnsafeBufferPointer(start: words, count: blob.wordCount)
            }
        }
        return nil
    }
}
