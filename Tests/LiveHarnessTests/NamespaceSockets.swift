#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
@testable import LiveHarness

/// Plain blocking IPv4 sockets for the kernel path's tests, created inside a network namespace
/// (a socket belongs to the namespace it was created in), each with send and receive deadlines so
/// that no call waits forever.
enum NamespaceSockets {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func address(_ host: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = IPv4TestPacket.address(host).bigEndian
        return address
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result >= 0 else { throw Failure(description: "\(what): \(String(cString: strerror(errno)))") }
    }

    /// A socket of `type` (SOCK_DGRAM, SOCK_STREAM) in `namespace`, bound to `host` port 0, with
    /// `timeout` on every send and receive; returns it and its port.
    static func bound(_ type: Int32, host: String, in namespace: NetworkNamespace, timeout: Double = 20) throws -> (fd: Int32, port: UInt16) {
        try namespace.run {
            let fd = socket(AF_INET, type, 0)
            try check(fd, "socket")
            var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var local = address(host, 0)
            try check(withUnsafePointer(to: &local) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            } }, "bind \(host)")
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            try check(withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getsockname(fd, $0, &length)
            } }, "getsockname")
            return (fd, UInt16(bigEndian: bound.sin_port))
        }
    }

    static func send(_ fd: Int32, _ bytes: [UInt8], to host: String, _ port: UInt16) throws {
        var remote = address(host, port)
        let sent = withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { target in
            bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, target, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } }
        try check(Int32(sent), "sendto \(host):\(port)")
    }

    /// One datagram (within the socket's receive deadline) and the port it came from.
    static func receive(_ fd: Int32) throws -> (bytes: [UInt8], port: UInt16) {
        var buffer = [UInt8](repeating: 0, count: 2_048)
        var from = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = withUnsafeMutablePointer(to: &from) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { source in
            buffer.withUnsafeMutableBytes { recvfrom(fd, $0.baseAddress, $0.count, 0, source, &length) }
        } }
        try check(Int32(count), "recvfrom")
        return (Array(buffer[0..<count]), UInt16(bigEndian: from.sin_port))
    }

    static func connect(_ fd: Int32, to host: String, _ port: UInt16) throws {
        var remote = address(host, port)
        try check(withUnsafePointer(to: &remote) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        } }, "connect \(host):\(port)")
    }

    static func listen(_ fd: Int32) throws {
        try check(Glibc.listen(fd, 4), "listen")
    }

    /// Accepts one connection (within the listener's receive deadline).
    static func accept(_ fd: Int32) throws -> Int32 {
        let connection = Glibc.accept(fd, nil, nil)
        try check(connection, "accept")
        return connection
    }

    /// Writes all of `bytes` (within the send deadline).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            try check(Int32(written), "write")
            offset += written
        }
    }

    /// Reads until end of file (each read within the receive deadline).
    static func readAll(_ fd: Int32) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            try check(Int32(count), "read")
            if count == 0 { return received }
            received += buffer[0..<count]
        }
    }
}
