import RTP

/// One frame of a clip: codec data (RTP payload descriptors removed), when it was captured in
/// session time, and whether it is a key frame.
public struct ClipFrame: Sendable, Hashable {
    public var data: [UInt8]
    public var timeMicros: Int64
    /// RTP timestamp of the frame as recorded (90 kHz video, 48 kHz Opus; 0 for DTX fillers).
    public var rtpTimestamp: UInt32
    public var isKeyFrame: Bool
}

/// A participant's video stream read back as whole frames, from the last key frame at or before
/// `from` (so that the clip decodes; the first key frame after `from` when there is none) up to
/// `to`, in session time.
///
/// VP8 frames are the payloads of a frame's packets, descriptors removed. A VP9 picture's
/// spatial-layer frames are joined into one superframe with an index (`VP9Superframe.join`), as
/// libvpx's encoder emits them and as IVF and WebM players expect, with every layer but the top
/// one made a hidden frame (`VP9HeaderParser.hidden`) so that each picture is shown once. A frame
/// whose first packet is missing (a lossy recorded session) is left out.
struct ClipVideoSource {
    let track: WorkloadTrack
    let isVP9: Bool
    /// Session time of the first frame, µs.
    let startMicros: Int64
    /// Display size read from the first key frame's headers (the largest spatial layer).
    private(set) var displaySize: (width: Int, height: Int)?
    private var cursor: WorkloadPacketCursor
    private let toMicros: Int64
    private var layers: [[UInt8]] = []
    private var currentLayer: UInt8 = 0
    private var inFrame = false
    private var frameIsKey = false
    private var vp9Headers = VP9HeaderParser()

    init(reader: WorkloadReader, participant: String, stream: WorkloadStream, encoding: WorkloadEncoding,
         fromMicros from: Int64, toMicros to: Int64) throws(WorkloadError) {
        guard let track = reader.manifest.track(encoding.track) else {
            throw WorkloadError(.unknownTrack, path: reader.path, "stream \(stream.id) names missing track \(encoding.track)")
        }
        self.track = track
        isVP9 = track.codec.uppercased() == "VP9"
        toMicros = to
        let rid = stream.encodings.count == 1 ? nil : encoding.rid
        // The last key frame at or before `from`, else the first one before `to`.
        var start: Int64 = -1
        var cursor = try reader.packets(participant: participant, stream: stream.id, rid: rid)
        while let packet = try cursor.next(), packet.captureTimeMicros < to {
            let isKeyStart = packet.isKeyFrame && packet.isFrameStart
            if isKeyStart && (packet.captureTimeMicros <= from || start < 0) { start = packet.captureTimeMicros }
            if packet.captureTimeMicros > from && start >= 0 { break }
        }
        guard start >= 0 else {
            throw WorkloadError(.usage, path: reader.path,
                                "\(participant)/\(stream.id) has no key frame before \(Double(to) / 1e6) s: nothing decodable to export; choose a later --to")
        }
        startMicros = start
        self.cursor = try reader.packets(participant: participant, stream: stream.id, rid: rid)
    }

    /// The next whole frame, or nil after the last one before `to`.
    mutating func next() throws(WorkloadError) -> ClipFrame? {
        while let packet = try cursor.next() {
            guard packet.captureTimeMicros < toMicros else { break }
            guard packet.captureTimeMicros >= startMicros else { continue }
            if packet.isFrameStart {
                layers = [[]]
                currentLayer = packet.spatialLayer
                inFrame = true
                frameIsKey = packet.isKeyFrame
            } else if packet.spatialLayer != currentLayer && inFrame {
                layers.append([])
                currentLayer = packet.spatialLayer
            }
            guard inFrame else { continue }
            layers[layers.count - 1] += packet.payload[Self.descriptorLength(packet.payload, vp9: isVP9)...]
            guard packet.isFrameEnd else { continue }
            inFrame = false
            let data: [UInt8]
            if isVP9 {
                // Every layer frame goes through the parser (it follows the reference slots); all
                // but the top one are hidden, so that a picture shows once.
                let headers = layers.map { vp9Headers.parse($0) }
                for index in layers.indices.dropLast() {
                    if let header = headers[index] { layers[index] = VP9HeaderParser.hidden(layers[index], header: header) }
                }
                if frameIsKey && displaySize == nil, let top = headers.last ?? nil { displaySize = (top.width, top.height) }
                data = VP9Superframe.join(layers)
            } else {
                if frameIsKey && displaySize == nil { displaySize = VPXFrameHeader.size(of: layers[0], vp9: false) }
                data = layers.count == 1 ? layers[0] : layers.flatMap { $0 }
            }
            return ClipFrame(data: data, timeMicros: packet.captureTimeMicros, rtpTimestamp: packet.rtpTimestamp, isKeyFrame: frameIsKey)
        }
        return nil
    }

    /// Length of the RTP payload descriptor in front of the codec data.
    static func descriptorLength(_ payload: [UInt8], vp9: Bool) -> Int {
        if vp9 { return min(payload.count, (try? VP9PayloadDescriptor(parsing: payload))?.encodedLength ?? 0) }
        return min(payload.count, (try? VP8PayloadDescriptor(parsing: payload))?.encodedLength ?? 0)
    }
}
