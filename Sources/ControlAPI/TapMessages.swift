import Engine

/// `POST /rooms/{room}/taps`: send a copy of every media packet the room's engine accepts from
/// its producers, and an event on every producer and consumer change, to this UDP address
/// (framing: `TapFrame`, docs/control-api.md).
public struct CreateTapRequest: Codable, Sendable, Hashable {
    /// IPv4 address of the receiver.
    public var ip: String
    /// UDP port of the receiver, 1...65535.
    public var port: UInt16

    public init(ip: String, port: UInt16) {
        self.ip = ip
        self.port = port
    }
}

/// A created tap.
public struct TapInfo: Codable, Sendable, Hashable {
    public var id: Int
    /// Where frames go.
    public var ip: String
    public var port: UInt16
    /// The server's sending port (frames come from it; the socket is connected to `ip:port`).
    public var sourcePort: UInt16
    /// `TapFrame.version`.
    public var frameVersion: Int

    public init(id: Int, ip: String, port: UInt16, sourcePort: UInt16, frameVersion: Int = Int(TapFrame.version)) {
        self.id = id
        self.ip = ip
        self.port = port
        self.sourcePort = sourcePort
        self.frameVersion = frameVersion
    }
}

/// What one tap sent: `GET /rooms/{room}/taps` lists the open ones, `DELETE
/// /rooms/{room}/taps/{id}` answers with the final counts.
public struct TapStats: Codable, Sendable, Hashable {
    public var id: Int
    public var ip: String
    public var port: UInt16
    /// Frames handed to the socket.
    public var framesSent: Int
    /// Frames dropped because the tap's send queue was full (the frame sequence numbers skip them).
    public var framesDropped: Int
    public var bytesSent: Int

    public init(id: Int, ip: String, port: UInt16, framesSent: Int, framesDropped: Int, bytesSent: Int) {
        self.id = id
        self.ip = ip
        self.port = port
        self.framesSent = framesSent
        self.framesDropped = framesDropped
        self.bytesSent = bytesSent
    }
}

/// `GET /rooms/{room}/taps`.
public struct TapList: Codable, Sendable, Hashable {
    public var taps: [TapStats]
    /// Taps the server closed because their receiver went away (ICMP unreachable, write errors).
    public var closedUnreachable: Int

    public init(taps: [TapStats], closedUnreachable: Int) {
        self.taps = taps
        self.closedUnreachable = closedUnreachable
    }
}
