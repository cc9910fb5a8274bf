/// An ICE username fragment and password (RFC 8445 §5.3; SDP `a=ice-ufrag`, `a=ice-pwd`;
/// mediasoup's `iceParameters.usernameFragment` and `password`).
public struct ICECredentials: Hashable, Sendable, Codable {
    public var usernameFragment: String
    public var password: String

    /// Creates explicit credentials (for example the remote side's, learnt from signalling).
    public init(usernameFragment: String, password: String) {
        self.usernameFragment = usernameFragment
        self.password = password
    }

    /// Draws a 16-character fragment and a 32-character password from lowercase letters and
    /// digits, as mediasoup does — above RFC 8445's minimum of 24 and 128 bits of randomness.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> ICECredentials {
        ICECredentials(
            usernameFragment: randomString(count: 16, using: &generator),
            password: randomString(count: 32, using: &generator))
    }

    /// The password as the short-term credential key (RFC 8489 §9.1.1).
    public var key: [UInt8] { Array(password.utf8) }

    /// True when both are made of ice-chars (ALPHA, DIGIT, "+", "/") and long enough:
    /// fragment 4–256 characters, password 22–256 (RFC 8445 §5.3).
    public var isValid: Bool {
        func iceChars(_ text: String) -> Bool {
            text.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
            }
        }
        return (4...256).contains(usernameFragment.utf8.count) && (22...256).contains(password.utf8.count)
            && iceChars(usernameFragment) && iceChars(password)
    }

    private static func randomString<G: RandomNumberGenerator>(count: Int, using generator: inout G) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789".utf8)
        let bytes = (0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
        return String(decoding: bytes, as: UTF8.self)
    }
}
