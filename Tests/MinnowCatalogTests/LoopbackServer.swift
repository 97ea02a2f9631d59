import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port) that serves one payload at any path,
/// for testing downloads without a network. Each connection gets one response, then is closed.
final class LoopbackServer: @unchecked Sendable {
    /// How the server behaves.
    struct Behavior {
        /// Whether `Range: bytes=N-` requests get a 206 with the rest of the payload.
        var honoursRange = true
        /// For the first request only: announce the full length, send this many body bytes, then
        /// close the connection.
        var cutFirstResponseAfter: Int?
        /// Answer every request with this status and no body.
        var status: Int?
    }

    let payload: [UInt8]
    let behavior: Behavior
    private(set) var port: UInt16 = 0
    private let socketFD: Int32
    private let lock = NSLock()
    private var requestLog: [String] = []
    private var served = 0
    private var stopped = false

    init(payload: [UInt8], behavior: Behavior = .init()) throws {
        self.payload = payload
        self.behavior = behavior
        socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ServerError.socket }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 8) == 0 else { close(socketFD); throw ServerError.socket }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    enum ServerError: Error { case socket }

    /// The URL of a file on this server.
    func url(_ path: String = "model.gguf") -> URL {
        URL(string: "http://127.0.0.1:\(port)/\(path)")!
    }

    /// The `Range` header of each request so far ("" when none).
    var ranges: [String] {
        lock.lock(); defer { lock.unlock() }
        return requestLog
    }

    /// Stops accepting connections.
    func stop() {
        lock.lock(); stopped = true; lock.unlock()
        shutdown(socketFD, Int32(SHUT_RDWR))
        close(socketFD)
    }

    private func acceptLoop() {
        while true {
            let client = accept(socketFD, nil, nil)
            if client < 0 { return }
            lock.lock(); let done = stopped; lock.unlock()
            if done { close(client); return }
            handle(client)
            close(client)
        }
    }

    private func handle(_ client: Int32) {
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !request.ends(with: Array("\r\n\r\n".utf8)) && request.count < 65536 {
            let n = recv(client, &buffer, buffer.count, 0)
            if n <= 0 { return }
            request += buffer[0..<n]
        }
        let text = String(decoding: request, as: UTF8.self)
        var range = ""
        for line in text.split(separator: "\r\n") where line.lowercased().hasPrefix("range:") {
            range = line.dropFirst("range:".count).trimmingCharacters(in: .whitespaces)
        }
        lock.lock()
        requestLog.append(range)
        let index = served
        served += 1
        lock.unlock()

        if let status = behavior.status {
            send(client, "HTTP/1.1 \(status) Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", body: [])
            return
        }
        var start = 0
        if behavior.honoursRange, range.hasPrefix("bytes="), let dash = range.firstIndex(of: "-"),
           let from = Int(range[range.index(range.startIndex, offsetBy: 6)..<dash]) {
            start = from
        }
        if start > payload.count {
            send(client, "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", body: [])
            return
        }
        var body = Array(payload[start...])
        let length = body.count
        if index == 0, let cut = behavior.cutFirstResponseAfter { body = Array(body.prefix(cut)) }
        var head = start > 0 ? "HTTP/1.1 206 Partial Content\r\n" : "HTTP/1.1 200 OK\r\n"
        if start > 0 { head += "Content-Range: bytes \(start)-\(payload.count - 1)/\(payload.count)\r\n" }
        head += "Content-Length: \(length)\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n"
        send(client, head, body: body)
    }

    private func send(_ client: Int32, _ head: String, body: [UInt8]) {
        let bytes = Array(head.utf8) + body
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

/// A URL on 127.0.0.1 where nothing listens: a port bound once, then closed unused.
func closedPortURL() -> URL {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    close(fd)
    return URL(string: "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/model.gguf")!
}

/// A payload that starts with the GGUF magic, then `count` pseudo-random bytes.
func ggufPayload(_ count: Int, seed: UInt64 = 42) -> [UInt8] {
    var state = seed
    var bytes = Array("GGUF".utf8)
    bytes.reserveCapacity(count + 4)
    for _ in 0..<count {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        bytes.append(UInt8(truncatingIfNeeded: state >> 33))
    }
    return bytes
}

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("minnow-catalog-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
