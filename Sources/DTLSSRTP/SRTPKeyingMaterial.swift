/// SRTP master keys and salts exported from a DTLS-SRTP handshake (RFC 5764 §4.2): the exporter
/// output with label "EXTRACTOR-dtls_srtp" is client key, server key, client salt, server salt.
/// The client protects with the client half and the server with the server half.
public struct SRTPKeyingMaterial: Hashable, Sendable {
    /// The negotiated profile, which fixes the lengths.
    public let profile: SRTPProfile
    /// This endpoint's role: decides which half is local (outbound).
    public let localRole: DTLSRole
    /// client_write_SRTP_master_key followed by client_write_SRTP_master_salt.
    public let clientKeyAndSalt: [UInt8]
    /// server_write_SRTP_master_key followed by server_write_SRTP_master_salt.
    public let serverKeyAndSalt: [UInt8]

    /// Splits exporter output of `profile.keyingMaterialLength` bytes; nil if the length is wrong
    /// or the role is `auto`.
    public init?(profile: SRTPProfile, localRole: DTLSRole, exported: [UInt8]) {
        guard exported.count == profile.keyingMaterialLength, localRole != .auto else { return nil }
        let key = profile.masterKeyLength
        let salt = profile.masterSaltLength
        self.profile = profile
        self.localRole = localRole
        clientKeyAndSalt = Array(exported[0..<key] + exported[2 * key..<2 * key + salt])
        serverKeyAndSalt = Array(exported[key..<2 * key] + exported[2 * key + salt..<2 * key + 2 * salt])
    }

    /// Keys and salts given directly (tests, benchmarks); each must be `masterKeyLength + masterSaltLength` bytes.
    public init?(profile: SRTPProfile, localRole: DTLSRole, clientKeyAndSalt: [UInt8], serverKeyAndSalt: [UInt8]) {
        let length = profile.masterKeyLength + profile.masterSaltLength
        guard clientKeyAndSalt.count == length, serverKeyAndSalt.count == length, localRole != .auto else { return nil }
        self.profile = profile
        self.localRole = localRole
        self.clientKeyAndSalt = clientKeyAndSalt
        self.serverKeyAndSalt = serverKeyAndSalt
    }

    /// Key and salt this endpoint protects with.
    public var localKeyAndSalt: [UInt8] { localRole == .client ? clientKeyAndSalt : serverKeyAndSalt }
    /// Key and salt the peer protects with, which this endpoint unprotects with.
    public var remoteKeyAndSalt: [UInt8] { localRole == .client ? serverKeyAndSalt : clientKeyAndSalt }

    /// The same keys seen from the other endpoint.
    public var peer: SRTPKeyingMaterial {
        SRTPKeyingMaterial(profile: profile, localRole: localRole == .client ? .server : .client,
                           clientKeyAndSalt: clientKeyAndSalt, serverKeyAndSalt: serverKeyAndSalt)!
    }
}
