/// Which run modes model a knob. The tuner refuses to sweep a live-only knob in simulated mode:
/// simulation would report "no difference" for an effect it does not model.
public enum KnobModel: String, Sendable, Hashable, Codable {
    /// Modelled in simulated runs and effective in live runs.
    case simulatedAndLive
    /// Only a live run (real sockets, threads, kernel) shows its effect.
    case liveOnly
}

extension Profile {
    /// Dotted key paths whose effect only live mode shows, with the reason.
    public static let liveOnlyKnobs: [String: String] = [
        "worker.count": "worker count changes CPU parallelism, which simulated time does not model",
        "worker.logLevel": "logging costs CPU time, which simulated time does not model",
        "worker.rtcMinPort": "port ranges only matter to real sockets",
        "worker.rtcMaxPort": "port ranges only matter to real sockets",
        "webRtcTransport.listenInfos": "listen addresses only matter to real sockets",
        "webRtcTransport.sendBufferSize": "socket buffers are kernel behaviour, which simulation does not model",
        "webRtcTransport.recvBufferSize": "socket buffers are kernel behaviour, which simulation does not model",
        "webRtcTransport.iceConsentTimeout": "ICE consent freshness only runs on live transports",
        "webRtcTransport.srtpCryptoSuites": "simulated runs do not encrypt; SRTP's CPU cost and overhead only show on live transports",
        "webRtcTransport.srtpBackend": "simulated runs do not encrypt; the SRTP library's CPU cost only shows on live transports",
        "webRtcTransport.enableUdp": "the simulated network carries every transport as datagrams; it has no TCP model yet",
        "webRtcTransport.enableTcp": "the simulated network carries every transport as datagrams; it has no TCP model yet",
        "webRtcTransport.preferUdp": "the simulated network carries every transport as datagrams; it has no TCP model yet",
        "webRtcTransport.preferTcp": "the simulated network carries every transport as datagrams; it has no TCP model yet",
    ]

    /// How the knob at `keyPath` is modelled (a path below a listed one inherits its mode).
    public static func model(ofKnob keyPath: String) -> KnobModel {
        for (liveOnly, _) in liveOnlyKnobs where keyPath == liveOnly || keyPath.hasPrefix(liveOnly + ".") {
            return .liveOnly
        }
        return .simulatedAndLive
    }
}
