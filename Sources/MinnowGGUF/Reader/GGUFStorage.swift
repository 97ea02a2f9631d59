#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The immutable bytes of a GGUF file: a read-only private memory map of the file, an
/// owned heap copy for files parsed from memory, or a caller's buffer (tests, fuzzing). Released when the last reference goes.
package final class GGUFStorage: @unchecked Sendable {
    // Safety: the bytes are never written after init, and are released only in deinit.

    /// The whole file.
    package let buffer: UnsafeRawBufferPointer
    private enum Owner { case map, heap, caller }
    private let owner: Owner

    /// Drops the pages of `bytes` (a part of ``buffer``) from this process's resident memory when
    /// the storage is a read-only file mapping: they stay in the page cache and are read again
    /// from it if touched. Only whole pages inside `bytes` are dropped; heap or borrowed storage is
    /// left alone.
    package func releaseResidentPages(of bytes: UnsafeRawBufferPointer) {
        guard case .map = owner, let start = bytes.baseAddress else { return }
        let page = Int(getpagesize())
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + bytes.count) / page * page
        guard end > first, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, end - first, Int32(MADV_DONTNEED))
    }

    /// Maps the file at `path` read-only. Never reads the tensor data.
    package init(mapping path: String) throws(GGUFError) {
        let fd = open(path, O_RDONLY)
        if fd < 0 { throw .cannotOpen(path: path, reason: Self.errnoText()) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) != 0 { throw .cannotOpen(path: path, reason: Self.errnoText()) }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw .cannotOpen(path: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        if size <= 0 { throw .emptyFile }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0),
              base != UnsafeMutableRawPointer(bitPattern: -1) else {
            throw .cannotOpen(path: path, reason: "mmap failed: \(Self.errnoText())")
        }
        buffer = UnsafeRawBufferPointer(start: base, count: size)
        owner = .map
    }

    /// Copies `bytes` into a 64-byte-aligned heap buffer.
    package init(copying bytes: some Collection<UInt8>) {
        let count = bytes.count
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 64)
        let copied: Void? = bytes.withContiguousStorageIfAvailable { source in
            memory.copyMemory(from: UnsafeRawBufferPointer(source))
        }
        if copied == nil { _ = memory.initializeMemory(as: UInt8.self, from: bytes) }
        buffer = UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(memory)[0..<count])
        owner = .heap
    }

    /// Uses `buffer` in place; the caller keeps it alive and unchanged while this storage lives.
    package init(borrowing buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        owner = .caller
    }

    deinit {
        guard let base = buffer.baseAddress else { return }
        switch owner {
        case .map: munmap(UnsafeMutableRawPointer(mutating: base), buffer.count)
        case .heap: UnsafeMutableRawPointer(mutating: base).deallocate()
        case .caller: break
        }
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
