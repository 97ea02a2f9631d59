/// Keeps heap copies of C structs, arrays and strings alive until it is released, so that
/// pointers inside Vulkan create-info structs stay valid for the duration of a call.
/// (`withUnsafePointer(to:)` pointers must not escape their closure.)
final class CArena {
    private var allocations: [(UnsafeMutableRawPointer, Int)] = []

    init() {}

    deinit {
        for (pointer, _) in allocations { pointer.deallocate() }
    }

    /// A stable pointer to a copy of `value`.
    func pointer<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: 1)
        p.initialize(to: value)
        allocations.append((UnsafeMutableRawPointer(p), 1))
        return p
    }

    /// A stable pointer to a copy of `values` (nil when empty).
    func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let p = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        p.initialize(from: values, count: values.count)
        allocations.append((UnsafeMutableRawPointer(p), values.count))
        return p
    }

    /// A stable NUL-terminated copy of `string`.
    func cString(_ string: String) -> UnsafePointer<CChar> {
        let utf8 = Array(string.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        p.initialize(from: utf8, count: utf8.count)
        allocations.append((UnsafeMutableRawPointer(p), utf8.count))
        return UnsafePointer(p)
    }

    /// Stable copies of several C strings, as the array Vulkan expects.
    func cStrings(_ strings: [String]) -> UnsafePointer<UnsafePointer<CChar>?>? {
        guard !strings.isEmpty else { return nil }
        let items: [UnsafePointer<CChar>?] = strings.map { cString($0) }
        return array(items).map { UnsafePointer($0) }
    }
}
