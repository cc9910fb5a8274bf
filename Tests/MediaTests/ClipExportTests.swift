import Testing
@testable import Media

/// Exported clips parse with independent readers and decode with libvpx / libopus.
@Suite struct ClipExportTests {
    @Test func oggCRCMatchesTheStandardCheckValue() {
        // CRC-32 with polynomial 0x04C11DB7, init 0, no reflection, no final XOR: check value of "123456789".
        #expect(OggPage.crc(Array("123456789".utf8)) == 0x89A1_897F)
    }

    @Test func ivfClipDecodesFromAKeyFrame() throws {
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        let participant = reader.manifest.participants[1]
        let clip = try ClipExporter(reader: reader).videoIVF(participant: participant.id, fromMicros: 1_500_000, toMicros: 3_500_000)
        let shift = participant.streams[0].timeShiftMicros
        #expect(clip.startMicros == shift, "only key frame is the first one")
        let bytes = clip.bytes
        #expect(Array(bytes[0..<4]) == Array("DKIF".utf8))
        #expect(Array(bytes[8..<12]) == Array("VP80".utf8))
        var offset = 32
        let decoder = try VPXDecoder(codec: .vp8)
        var frames = 0
        while offset < bytes.count {
            let size = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            let frame = Array(bytes[(offset + 12)..<(offset + 12 + size)])
            #expect(try decoder.decode(frame) == 1)
            offset += 12 + size
            frames += 1
        }
        #expect(offset == bytes.count)
        #expect(frames == clip.frames)
        #expect(decoder.lastSize == (640, 360))
        // From the shifted start to 3.5 s at 30 fps.
        let expected = Int(((3_500_000 - shift) * 30 + 999_999) / 1_000_000)
        #expect(abs(frames - expected) <= 1, "\(frames) vs \(expected)")
    }

    @Test func oggClipHasValidPagesAndDecodes() throws {
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        let clip = try ClipExporter(reader: reader).audioOgg(participant: "p01", fromMicros: 1_000_000, toMicros: 3_000_000)
        let bytes = clip.bytes
        var offset = 0
        var packets: [[UInt8]] = []
        var pageFlags: [UInt8] = []
        var lastGranule: Int64 = 0
        while offset < bytes.count {
            #expect(Array(bytes[offset..<(offset + 4)]) == Array("OggS".utf8))
            let segmentCount = Int(bytes[offset + 26])
            let lacing = Array(bytes[(offset + 27)..<(offset + 27 + segmentCount)])
            let bodyLength = lacing.reduce(0) { $0 + Int($1) }
            let pageLength = 27 + segmentCount + bodyLength
            var page = Array(bytes[offset..<(offset + pageLength)])
            let stored = UInt32(page[22]) | UInt32(page[23]) << 8 | UInt32(page[24]) << 16 | UInt32(page[25]) << 24
            for index in 22..<26 { page[index] = 0 }
            #expect(OggPage.crc(page) == stored, "page CRC at byte \(offset)")
            pageFlags.append(page[5])
            lastGranule = page[6..<14].reversed().reduce(Int64(0)) { $0 << 8 | Int64($1) }
            var body = 27 + segmentCount
            var current: [UInt8] = []
            for value in lacing {
                current += page[body..<(body + Int(value))]
                body += Int(value)
                if value < 255 { packets.append(current); current = [] }
            }
            offset += pageLength
        }
        #expect(pageFlags.first == OggPage.beginOfStream)
        #expect(pageFlags.last == OggPage.endOfStream)
        #expect(Array(packets[0].prefix(8)) == Array("OpusHead".utf8))
        #expect(Array(packets[1].prefix(8)) == Array("OpusTags".utf8))
        let audio = packets.dropFirst(2)
        #expect(audio.count == 100, "2 s of 20 ms frames, DTX gaps filled")
        #expect(lastGranule == 312 + 100 * 960)
        let decoder = try OpusDecoder()
        for packet in audio { #expect(try decoder.decode(Array(packet)) == 960) }
    }

    @Test func clipOfUnknownParticipantNamesTheFile() throws {
        let reader = try WorkloadReader(path: TestFiles.desktopMeeting.path)
        do {
            _ = try ClipExporter(reader: reader).audioOgg(participant: "nobody", fromMicros: 0, toMicros: 1_000_000)
            Issue.record("exported")
        } catch {
            #expect(error.description.contains(TestFiles.desktopMeeting.path))
        }
    }
}
