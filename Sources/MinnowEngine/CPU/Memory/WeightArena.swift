#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Anonymous memory that holds copies of the matrix weights (repacked for their kernels, or
/// plain), on transparent huge pages with `MINNOW_HUGE_PAGES=1` (Linux `madvise(MADV_HUGEPAGE)`).
///
/// Decoding streams every weight once per token. From the file's memory map that means a TLB
/// miss and a cold hardware prefetcher at every 4 KiB page; from 2 MiB pages the prefetchers run
/// on. The arena reserves address space for all matrices at load and copies each one on its first
/// use, so pages that are never used (an embedding table only looked up row by row) cost nothing.
final class WeightArena: @unchecked Sendable {
    private let base: UnsafeMutableRawPointer
    private let reserved: Int
    private var used = 0
    private static let hugePage = 2 << 20

    /// Reserves `bytes` of address space (plus alignment), or nil when the system refuses.
    init?(bytes: Int) {
        guard bytes > 0 else { return nil }
        let size = bytes + WeightArena.hugePage + 64 * 1024
        #if canImport(Glibc)
        let flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE
        #else
        let flags = MAP_PRIVATE | MAP_ANON
        #endif
        guard let raw = mmap(nil, size, PROT_READ | PROT_WRITE, flags, -1, 0), raw != MAP_FAILED else { return nil }
        base = raw
        reserved = size
        #if os(Linux)
        // Transparent huge pages only with MINNOW_HUGE_PAGES=1: with the repacked layouts (which
        // prefetch ahead) they gave no measurable decode gain on the 2-core Xeon (tg32 6.1-6.5
        // vs 6.0-7.1 t/s, one thread), while allocating them took 1.5-10 s per GB there
        // (compaction in a virtual machine) against 0.5-1 s with 4 KiB pages.
        if getenv("MINNOW_HUGE_PAGES").map({ String(cString: $0) }) == "1" {
            _ = madvise(raw, size, MADV_HUGEPAGE)
        }
        #endif
        // Start on a huge-page boundary.
        let address = Int(bitPattern: raw)
        used = (WeightArena.hugePage - address % WeightArena.hugePage) % WeightArena.hugePage
    }

    deinit { munmap(base, reserved) }

    /// A copy of `bytes`, 64-byte aligned inside the arena, or nil when the reservation is used up.
    func copy(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard let source = bytes.baseAddress, let destination = allocate(bytes.count) else { return nil }
        destination.copyMemory(from: source, byteCount: bytes.count)
        return UnsafeRawBufferPointer(start: destination, count: bytes.count)
    }

    /// `count` bytes, 64-byte aligned inside the arena, or nil when the reservation is used up.
    /// On Linux the pages are faulted in with one call (`MADV_POPULATE_WRITE`, 5.14 and later;
    /// ignored where unsupported), which is faster than one page fault per page while the copy
    /// or the repacking writes them.
    func allocate(_ count: Int) -> UnsafeMutableRawPointer? {
        let start = (used + 63) & ~63
        guard count >= 0, start + count <= reserved else { return nil }
        used = start + count
        #if os(Linux)
        let page = 4096
        let first = (Int(bitPattern: base + start) + page - 1) / page * page
        let end = (Int(bitPattern: base + start + count) + page - 1) / page * page
        if end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) {
            _ = madvise(pointer, end - first, 23 /* MADV_POPULATE_WRITE */)
        }
        #endif
        return base + start
    }
}
