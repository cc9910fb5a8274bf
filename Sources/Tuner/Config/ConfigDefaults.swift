import Engine
import Harness

/// A config type whose property initialisers are its defaults. The strict YAML decoder overlays
/// the user's mapping onto `configDefault` encoded as YAML, so a file only names what it changes
/// and the struct stays the single source of names and defaults.
public protocol ConfigDefaults: Codable {
    /// The value with every field at its default.
    static var configDefault: Self { get }
}

extension Profile: ConfigDefaults { public static var configDefault: Profile { Profile() } }
extension WorkerSettings: ConfigDefaults { public static var configDefault: WorkerSettings { WorkerSettings() } }
extension RouterSettings: ConfigDefaults { public static var configDefault: RouterSettings { RouterSettings() } }
extension WebRtcTransportSettings: ConfigDefaults {
    public static var configDefault: WebRtcTransportSettings { WebRtcTransportSettings() }
}
extension ProducerSettings: ConfigDefaults { public static var configDefault: ProducerSettings { ProducerSettings() } }
extension ConsumerSettings: ConfigDefaults { public static var configDefault: ConsumerSettings { ConsumerSettings() } }
extension FeedbackSettings: ConfigDefaults { public static var configDefault: FeedbackSettings { FeedbackSettings() } }
extension NackSettings: ConfigDefaults { public static var configDefault: NackSettings { NackSettings() } }
extension RetransmissionSettings: ConfigDefaults {
    public static var configDefault: RetransmissionSettings { RetransmissionSettings() }
}
extension KeyFrameSettings: ConfigDefaults { public static var configDefault: KeyFrameSettings { KeyFrameSettings() } }
extension RTCPSettings: ConfigDefaults { public static var configDefault: RTCPSettings { RTCPSettings() } }
extension LinkProfile: ConfigDefaults { public static var configDefault: LinkProfile { LinkProfile() } }
extension WorkloadSpec: ConfigDefaults { public static var configDefault: WorkloadSpec { WorkloadSpec() } }
