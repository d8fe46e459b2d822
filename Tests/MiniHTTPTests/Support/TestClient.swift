import Glibc
import Foundation

/// A blocking TCP client for end-to-end tests: raw bytes out, responses parsed back, every read bounded
/// by a timeout so a test fails instead of hanging.
///
/// `@unchecked Sendable`: a test hands a client to a `blocking` thread while it awaits that thread, so only
/// one thread uses a client at any time.
final class TestClient: @unchecked Sendable {
    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    enum Failure: Error, CustomStringConvertible {
        case connect(Int32), timeout, closed, malformed(String)
        var description: String {
            switch self {
            case .connect(let e): "connect failed: \(String(cString: strerror(e)))"
            case .timeout: "timed out waiting for the server"
            case .closed: "the server closed the connection"
            case .malformed(let what): "malformed response: \(what)"
            }
        }
    }

    private(set) var fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 5) throws {
        let isIPv6 = host.contains(":")
        fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let status: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            status = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if status != 0 {
            let error = errno
            Glibc.close(fd)
            throw Failure.connect(error)
        }
    }

    deinit { close() }

    /// Closes the socket (a FIN to the server); later calls fail.
    func close() {
        guard fd >= 0 else { return }
        Glibc.close(fd)
        fd = -1
    }

    /// Aborts the connection (SO_LINGER 0: a reset to the server, as a client that crashed or gave up).
    func reset() {
        guard fd >= 0 else { return }
        var option = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        close()
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure.closed }
            offset += n
        }
    }

    /// Half-closes: the server sees the end of our requests.
    func finishSending() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads one response. `head` says the request was HEAD (no body despite Content-Length).
    func readResponse(head: Bool = false) throws -> Response {
        let headEnd = try readUntil([13, 10, 13, 10])
        let headText = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else {
            throw Failure.malformed(statusLine)
        }
        let headers = lines.map { line -> (String, String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces))
        }
        var response = Response(status: status, headers: headers, body: [])
        if status == 100 { return response }
        if !head, response.header("Transfer-Encoding") == "chunked" {
            response.body = try readChunkedBody()
            return response
        }
        let length = head || status == 204 || status == 304 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        try fill(length)
        response.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return response
    }

    /// Reads a chunked body up to its last chunk (chunk extensions and trailers are not expected).
    private func readChunkedBody() throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let lineEnd = try readUntil([13, 10])
            let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self)
            buffer.removeFirst(lineEnd + 2)
            guard let size = Int(sizeText, radix: 16) else { throw Failure.malformed("chunk size \(sizeText)") }
            try fill(size + 2)
            body += buffer[..<size]
            buffer.removeFirst(size + 2)
            if size == 0 { return body }
        }
    }

    /// Sets the socket's receive buffer (before much is read), to make back-pressure visible sooner.
    func setReceiveBuffer(_ bytes: Int32) {
        var value = bytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Sends a request and reads its response.
    func request(_ text: String) throws -> Response {
        try send(text)
        return try readResponse(head: text.hasPrefix("HEAD "))
    }

    /// Waits for the server to close; returns the bytes it sent before closing. Throws on timeout.
    func readUntilClosed() throws -> [UInt8] {
        while true {
            let count = try receive()
            if count == 0 { break }
        }
        defer { buffer.removeAll() }
        return buffer
    }

    /// True if the server has closed the connection (reads EOF or a reset within the timeout).
    func isClosedByServer() -> Bool {
        do { _ = try readUntilClosed(); return true } catch Failure.closed { return true } catch { return false }
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var searchFrom = 0
        while true {
            if buffer.count >= marker.count {
                for index in searchFrom...(buffer.count - marker.count) where buffer[index..<(index + marker.count)].elementsEqual(marker) {
                    return index
                }
                searchFrom = buffer.count - marker.count + 1
            }
            if try receive() == 0 { throw Failure.closed }
        }
    }

    private func fill(_ count: Int) throws {
        while buffer.count < count {
            if try receive() == 0 { throw Failure.closed }
        }
    }

    private func receive() throws -> Int {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure.timeout }
            throw Failure.closed
        }
        buffer.append(contentsOf: chunk[..<n])
        return n
    }
}
