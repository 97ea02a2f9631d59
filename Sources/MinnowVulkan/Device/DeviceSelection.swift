#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which Vulkan device to use.
public enum VulkanDeviceChoice: Sendable, Equatable {
    /// The best device: discrete, then integrated, then virtual, then CPU (lavapipe).
    /// `MINNOW_VULKAN_DEVICE` (an index or part of a name) overrides it.
    case automatic
    /// The device at this enumeration index.
    case index(Int)
    /// The first device whose name contains this text (case-insensitive).
    case name(String)

    /// Parses an index ("1") or a name fragment ("llvmpipe"); empty means automatic.
    public init(parsing text: String) {
        let trimmed = String(String(text.drop(while: \.isWhitespace).reversed()).drop(while: \.isWhitespace).reversed())
        if trimmed.isEmpty || trimmed.lowercased() == "auto" {
            self = .automatic
        } else if let i = Int(trimmed) {
            self = .index(i)
        } else {
            self = .name(trimmed)
        }
    }

    /// The choice in `MINNOW_VULKAN_DEVICE` (an index or part of a name), or nil when it is unset
    /// or says `auto`.
    public static var fromEnvironment: VulkanDeviceChoice? {
        guard let text = getenv("MINNOW_VULKAN_DEVICE").map({ String(cString: $0) }) else { return nil }
        let choice = VulkanDeviceChoice(parsing: text)
        return choice == .automatic ? nil : choice
    }

    /// Picks a device from `devices`, or throws `VulkanError.noSuchDevice` /
    /// `VulkanError.unavailable` when none fits.
    public func select(from devices: [VulkanDeviceInfo]) throws -> VulkanDeviceInfo {
        guard !devices.isEmpty else { throw VulkanError.unavailable("the Vulkan driver reports no device") }
        switch self {
        case .automatic:
            // Stable: among equally preferred kinds, the first enumerated wins.
            guard let best = devices.enumerated().min(by: { a, b in
                (a.element.kind, a.offset) < (b.element.kind, b.offset)
            }) else { throw VulkanError.unavailable("the Vulkan driver reports no device") }
            return best.element
        case .index(let i):
            guard let match = devices.first(where: { $0.index == i }) else {
                throw VulkanError.noSuchDevice(requested: String(i), available: devices.map(\.name))
            }
            return match
        case .name(let fragment):
            guard let match = devices.first(where: { $0.name.lowercased().contains(fragment.lowercased()) }) else {
                throw VulkanError.noSuchDevice(requested: fragment, available: devices.map(\.name))
            }
            return match
        }
    }
}
