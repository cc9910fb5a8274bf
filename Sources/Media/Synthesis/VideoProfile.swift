/// How a device sends camera video: the capture size and rate and its simulcast encodings,
/// lowest first, each L1T3 with WebRTC's 40/20/40 % temporal-layer split.
///
/// Sizes are chosen so that encoding stays cheap on a 2-core machine (see docs/media-synthesis.md):
/// desktop captures 640x360 at 30 fps (÷4, ÷2, ÷1); mobile 320x180 at 15 fps (÷2, ÷1).
public struct VideoProfile: Sendable, Hashable {
    /// One simulcast encoding.
    public struct Encoding: Sendable, Hashable {
        public var rid: String
        /// `scaleResolutionDownBy`.
        public var divisor: Int
        /// Target bitrate, bits per second.
        public var targetBitrate: Int
    }

    public var name: String
    public var width: Int
    public var height: Int
    public var frameRate: Int
    public var temporalLayers: Int
    public var encodings: [Encoding]
    public var screenContent: Bool
    /// With VP9: bitrate of each spatial layer alone (lowest first) of the single SVC stream
    /// that replaces the simulcast encodings; spatial layers are ÷2 apart.
    public var svcSpatialBitrates: [Int] = []

    /// Desktop camera: 160x90 / 320x180 / 640x360 at 30 fps, 150 / 400 / 1000 kb/s
    /// (VP9: one L3T3 stream, spatial layers 100 / 250 / 600 kb/s).
    public static let desktop = VideoProfile(
        name: "desktop", width: 640, height: 360, frameRate: 30, temporalLayers: 3,
        encodings: [Encoding(rid: "q", divisor: 4, targetBitrate: 150_000),
                    Encoding(rid: "h", divisor: 2, targetBitrate: 400_000),
                    Encoding(rid: "f", divisor: 1, targetBitrate: 1_000_000)],
        screenContent: false, svcSpatialBitrates: [100_000, 250_000, 600_000])

    /// Mobile camera: 160x90 / 320x180 at 15 fps, 100 / 250 kb/s (VP9: one L2T3 stream, 70 / 180 kb/s).
    public static let mobile = VideoProfile(
        name: "mobile", width: 320, height: 180, frameRate: 15, temporalLayers: 3,
        encodings: [Encoding(rid: "q", divisor: 2, targetBitrate: 100_000),
                    Encoding(rid: "h", divisor: 1, targetBitrate: 250_000)],
        screenContent: false, svcSpatialBitrates: [70_000, 180_000])

    /// Screen share: 1280x720 at 5 fps, one L1T1 encoding capped at 800 kb/s (static slides
    /// use far less; slide changes burst up to the cap).
    public static let screen = VideoProfile(
        name: "screen", width: 1280, height: 720, frameRate: 5, temporalLayers: 1,
        encodings: [Encoding(rid: "", divisor: 1, targetBitrate: 800_000)],
        screenContent: true)
}
