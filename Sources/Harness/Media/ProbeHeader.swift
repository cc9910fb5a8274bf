/// 16 bytes the simulated publisher writes at the start of each media payload (after the codec
/// descriptor): the frame's capture time and the packet's first send time, in nanoseconds of
/// virtual time. They travel through the engine like any payload byte, so the subscriber
/// measures real one-way and frame latencies from what actually arrived.
struct ProbeHeader {
    static let size = 16

    var captureTime: Int64
    var sendTime: Int64

    /// Appends the 16 bytes (both times big-endian).
    func write(into bytes: inout [UInt8]) {
        withUnsafeBytes(of: captureTime.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: sendTime.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes the 16 bytes (both times big-endian) at `offset` of `bytes`, which must hold them.
    func write(to bytes: UnsafeMutableRawBufferPointer, at offset: Int) {
        precondition(offset >= 0 && bytes.count >= offset + Self.size, "ProbeHeader.write: no room for the probe")
        bytes.storeBytes(of: captureTime.bigEndian, toByteOffset: offset, as: Int64.self)
        bytes.storeBytes(of: sendTime.bigEndian, toByteOffset: offset + 8, as: Int64.self)
    }

    /// Reads a probe at `offset`, or nil when the payload is too short.
    @inline(__always)
    init?(_ payload: UnsafeRawBufferPointer, offset: Int) {
        guard offset >= 0, payload.count >= offset + Self.size else { return nil }
        var capture: Int64 = 0
        var send: Int64 = 0
        for index in 0..<8 { capture = capture << 8 | Int64(payload[offset + index]) }
        for index in 8..<16 { send = send << 8 | Int64(payload[offset + index]) }
        captureTime = capture
        sendTime = send
    }

    init(captureTime: Int64, sendTime: Int64) {
        self.captureTime = captureTime
        self.sendTime = sendTime
    }
}
