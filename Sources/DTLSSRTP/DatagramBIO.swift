import COpenSSL

/// The state a `DTLSEndpoint` shares with OpenSSL's non-capturing C callbacks: the datagram
/// being read, the datagrams written, the MTU, the retransmission timer's first value and the
/// fingerprint check. Reached from C through `BIO_set_data` and `SSL_set_ex_data` (index 0)
/// holding an unretained pointer; the endpoint keeps it alive longer than its `SSL`.
final class DatagramBIOState {
    /// The datagram OpenSSL may read now (set only during `DTLSEndpoint.handle`).
    var incoming: UnsafeRawBufferPointer?
    /// Datagrams OpenSSL wrote, oldest first, each one `BIO_write`.
    var outgoing: [[UInt8]] = []
    /// How many of `outgoing` were already handed out.
    var outgoingHead = 0
    /// Payload bytes a datagram may carry (`BIO_CTRL_DGRAM_QUERY_MTU`).
    let mtu: Int
    /// First retransmission timeout in microseconds; nil keeps OpenSSL's own (1 s, doubling).
    let initialTimeoutMicroseconds: UInt32?
    /// The fingerprint the peer's certificate must have.
    let expectedFingerprint: DTLSFingerprint
    /// The fingerprint of a peer certificate that did not match, set by the verify callback.
    var mismatchedFingerprint: DTLSFingerprint?
    /// The peer certificate's fingerprint once verified.
    var verifiedFingerprint: DTLSFingerprint?

    init(mtu: Int, initialTimeoutMicroseconds: UInt32?, expectedFingerprint: DTLSFingerprint) {
        self.mtu = mtu
        self.initialTimeoutMicroseconds = initialTimeoutMicroseconds
        self.expectedFingerprint = expectedFingerprint
    }

    /// The state behind an opaque pointer stored by the endpoint.
    static func from(_ pointer: UnsafeMutableRawPointer?) -> DatagramBIOState? {
        guard let pointer else { return nil }
        return Unmanaged<DatagramBIOState>.fromOpaque(pointer).takeUnretainedValue()
    }
}

/// A datagram BIO: OpenSSL 3.0 has no in-memory BIO that keeps datagram boundaries
/// (`BIO_s_mem` concatenates), so each `BIO_write` becomes one queued datagram and each
/// `BIO_read` returns the one datagram being handled. Answers the datagram controls DTLS asks:
/// flush, MTU queries (with `SSL_OP_NO_QUERY_MTU` set, the link MTU given by the endpoint rules).
enum DatagramBIO {
    /// The BIO method, created once per process (thread-safe lazy global).
    nonisolated(unsafe) static let method: OpaquePointer? = makeMethod()

    private static func makeMethod() -> OpaquePointer? {
        guard let method = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sfulab datagram") else { return nil }
        BIO_meth_set_write(method) { bio, data, length in
            guard let bio, let state = DatagramBIOState.from(BIO_get_data(bio)) else { return -1 }
            sfulab_BIO_clear_retry_flags(bio)
            guard let data, length >= 0 else { return -1 }
            state.outgoing.append(Array(UnsafeRawBufferPointer(start: data, count: Int(length))))
            return length
        }
        BIO_meth_set_read(method) { bio, data, length in
            guard let bio, let state = DatagramBIOState.from(BIO_get_data(bio)) else { return -1 }
            sfulab_BIO_clear_retry_flags(bio)
            guard let incoming = state.incoming else {
                sfulab_BIO_set_retry_read(bio)
                return -1
            }
            state.incoming = nil
            // Like recv() on a datagram socket: a datagram longer than the buffer is truncated.
            let count = min(incoming.count, Int(max(0, length)))
            if count > 0, let data, let source = incoming.baseAddress {
                UnsafeMutableRawPointer(data).copyMemory(from: source, byteCount: count)
            }
            return Int32(count)
        }
        BIO_meth_set_ctrl(method) { bio, command, _, _ in
            guard let bio, let state = DatagramBIOState.from(BIO_get_data(bio)) else { return 0 }
            switch command {
            case BIO_CTRL_FLUSH: return 1
            case BIO_CTRL_DGRAM_QUERY_MTU, BIO_CTRL_DGRAM_GET_FALLBACK_MTU: return state.mtu
            case BIO_CTRL_PENDING: return state.incoming?.count ?? 0
            case BIO_CTRL_WPENDING: return 0
            default: return 0  // peer address, timeouts, MTU overhead (0: the MTU is the payload size)
            }
        }
        BIO_meth_set_create(method) { bio in
            BIO_set_init(bio, 1)
            return 1
        }
        BIO_meth_set_destroy(method) { bio in
            BIO_set_data(bio, nil)
            return 1
        }
        return method
    }
}
