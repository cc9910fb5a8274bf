/// Checks that a datagram is a sequence of whole DTLS records (RFC 6347 §4.1) before it reaches
/// OpenSSL, which drops bad records silently: what fails here is counted as malformed.
enum DTLSRecordFraming {
    /// Record header bytes: type, version (2), epoch (2), sequence number (6), length (2).
    static let headerLength = 13

    /// Whether `datagram` consists only of complete DTLS 1.x records of known content types
    /// (change_cipher_spec 20, alert 21, handshake 22, application_data 23, heartbeat 24).
    static func isWellFormed(_ datagram: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        guard datagram.count >= headerLength else { return false }
        while offset < datagram.count {
            guard datagram.count - offset >= headerLength else { return false }
            let type = datagram[offset]
            guard (20...24).contains(type), datagram[offset + 1] == 0xFE else { return false }
            let length = Int(datagram[offset + 11]) << 8 | Int(datagram[offset + 12])
            offset += headerLength + length
            guard offset <= datagram.count else { return false }
        }
        return true
    }

    /// RFC 7983 §7 demultiplexing: a first byte in 20...63 is DTLS (0...3 STUN, 128...191 RTP/RTCP).
    static func isDTLS(firstByte: UInt8) -> Bool { (20...63).contains(firstByte) }
}
