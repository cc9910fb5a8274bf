import Engine

/// An unknown network preset name; the message lists the valid ones.
public struct UnknownPresetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name asked for.
    public var name: String
    /// Every valid name.
    public var validNames: [String]

    public var description: String {
        "unknown network preset \"\(name)\"; valid presets: \(validNames.joined(separator: ", "))"
    }
}

extension NetworkScenario {
    /// Names accepted by `preset(named:)`, in order from best to worst network.
    public static let presetNames = ["lossless", "desktop-broadband", "wifi-lossy", "4g", "3g", "mobile-congested"]

    /// A named scenario. Where each number comes from: docs/network-presets.md.
    /// - Throws: `UnknownPresetError` listing the valid names.
    public static func preset(named name: String) throws -> NetworkScenario {
        switch name {
        case "lossless":
            // Ideal link: no delay, loss, jitter or rate limit (WebRTC's BuiltInNetworkBehaviorConfig defaults).
            return NetworkScenario(name: name, uplink: LinkProfile(), downlink: LinkProfile())
        case "desktop-broadband":
            return symmetric(name, delay: 15, jitter: 2, loss: 0.001, lossBurst: nil,
                             uplinkKbps: 10_000, downlinkKbps: 50_000, queueBytes: nil)
        case "wifi-lossy":
            return symmetric(name, delay: 10, jitter: 8, loss: 0.02, lossBurst: 3,
                             uplinkKbps: 20_000, downlinkKbps: 20_000, queueBytes: nil)
        case "4g":
            return symmetric(name, delay: 35, jitter: 8, loss: 0.005, lossBurst: 2,
                             uplinkKbps: 5_000, downlinkKbps: 15_000, queueBytes: 150_000)
        case "3g":
            return symmetric(name, delay: 75, jitter: 15, loss: 0.01, lossBurst: 2,
                             uplinkKbps: 500, downlinkKbps: 1_500, queueBytes: 100_000)
        case "mobile-congested":
            return symmetric(name, delay: 100, jitter: 30, loss: 0.03, lossBurst: 3,
                             uplinkKbps: 300, downlinkKbps: 600, queueBytes: 75_000)
        default:
            throw UnknownPresetError(name: name, validNames: presetNames)
        }
    }

    /// Same delay, jitter and loss both ways; rates differ.
    private static func symmetric(_ name: String, delay: Double, jitter: Double, loss: Double, lossBurst: Double?,
                                  uplinkKbps: Double, downlinkKbps: Double, queueBytes: Int?) -> NetworkScenario {
        var uplink = LinkProfile()
        uplink.delay = delay
        uplink.jitter = jitter
        uplink.loss = loss
        uplink.lossBurst = lossBurst
        uplink.bandwidth = uplinkKbps
        uplink.queueBytes = queueBytes
        var downlink = uplink
        downlink.bandwidth = downlinkKbps
        return NetworkScenario(name: name, uplink: uplink, downlink: downlink)
    }

    /// The links of one participant: the override for its index (`"0"`, `"1"`, ...) if any, else the
    /// override for its device class (`"mobile"`, `"desktop"`), else the scenario's defaults.
    public func links(participant index: Int, deviceClass: String? = nil) -> LinkPair {
        if let pair = participants?["\(index)"] { return pair }
        if let deviceClass, let pair = participants?[deviceClass] { return pair }
        return LinkPair(uplink: uplink, downlink: downlink)
    }

    /// The scheduled changes to one direction, as link changes at absolute instants from `start`
    /// (a change that leaves this direction alone is skipped). The schedule applies to every participant.
    public func changes(uplink isUplink: Bool, start: Instant) -> [LinkChange] {
        (schedule ?? []).compactMap { change in
            guard let profile = isUplink ? change.uplink : change.downlink else { return nil }
            return LinkChange(at: start + .nanoseconds(Int64((change.at * 1e9).rounded())), profile: profile)
        }
    }
}
