import CVulkan
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Vulkan loader, opened at run time with `dlopen` so that binaries start on machines
/// without it. Every other entry point is resolved through `vkGetInstanceProcAddr`.
package final class VulkanLibrary: @unchecked Sendable {
    // Immutable after init; the handle stays open for the life of the process.
    let handle: UnsafeMutableRawPointer
    /// `vkGetInstanceProcAddr` from the loader.
    let getInstanceProcAddr: PFN_vkGetInstanceProcAddr

    /// The file names tried in order. `MINNOW_VULKAN_LIBRARY` overrides them.
    static var candidateNames: [String] {
        if let custom = getenv("MINNOW_VULKAN_LIBRARY").map({ String(cString: $0) }), !custom.isEmpty {
            return [custom]
        }
        #if os(macOS)
        return ["libvulkan.1.dylib", "libvulkan.dylib", "libMoltenVK.dylib"]
        #else
        return ["libvulkan.so.1", "libvulkan.so"]
        #endif
    }

    /// Opens the loader (trying `names`, by default `candidateNames`), or throws
    /// `VulkanError.unavailable` saying why it could not.
    package init(names: [String]? = nil) throws {
        var errors: [String] = []
        var opened: UnsafeMutableRawPointer?
        for name in names ?? Self.candidateNames {
            if let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) {
                opened = h
                break
            }
            errors.append(dlerror().map { String(cString: $0) } ?? "\(name): not found")
        }
        guard let handle = opened else {
            throw VulkanError.unavailable("no Vulkan loader (\(errors.joined(separator: "; ")))")
        }
        guard let symbol = dlsym(handle, "vkGetInstanceProcAddr") else {
            dlclose(handle)
            throw VulkanError.unavailable("the Vulkan loader exports no vkGetInstanceProcAddr")
        }
        self.handle = handle
        self.getInstanceProcAddr = unsafeBitCast(symbol, to: PFN_vkGetInstanceProcAddr.self)
    }

    /// The shared loader, opened once per process.
    package static let shared: Result<VulkanLibrary, VulkanError> = {
        do { return .success(try VulkanLibrary()) } catch let error as VulkanError {
            return .failure(error)
        } catch {
            return .failure(.unavailable("\(error)"))
        }
    }()

    /// Resolves an instance-level (or, with a nil instance, global) entry point.
    func load<T>(_ name: String, instance: VkInstance?, as type: T.Type) throws -> T {
        guard let fn = name.withCString({ getInstanceProcAddr(instance, $0) }) else {
            throw VulkanError.missingFunction(name)
        }
        return unsafeBitCast(fn, to: T.self)
    }
}

/// `VK_MAKE_API_VERSION`, which the C importer cannot bring in.
func vkMakeAPIVersion(_ variant: UInt32, _ major: UInt32, _ minor: UInt32, _ patch: UInt32) -> UInt32 {
    (variant << 29) | (major << 22) | (minor << 12) | patch
}

/// The major, minor and patch numbers of a packed Vulkan version.
func vkVersionString(_ v: UInt32) -> String {
    "\((v >> 22) & 0x7F).\((v >> 12) & 0x3FF).\(v & 0xFFF)"
}
