/// A small EBML reader for the tests, written from RFC 8794 independently of `EBML`: it walks a
/// byte array into elements (ID, data range, children of known master elements) and fails on
/// any size that runs past its parent.
struct EBMLTestReader {
    struct Element {
        var id: UInt32
        /// Offset of the element's first byte (its ID) in the file.
        var offset: Int
        var data: Range<Int>
        var children: [Element]

        func child(_ id: UInt32) -> Element? { children.first { $0.id == id } }
        func all(_ id: UInt32) -> [Element] { children.filter { $0.id == id } }
    }

    enum Failure: Error { case malformed(String) }

    /// Master elements whose children are read (EBML, Segment, SeekHead, Seek, Info, Tracks,
    /// TrackEntry, Video, Audio, Cluster, Cues, CuePoint, CueTrackPositions).
    static let masters: Set<UInt32> = [0x1A45_DFA3, 0x1853_8067, 0x114D_9B74, 0x4DBB, 0x1549_A966, 0x1654_AE6B, 0xAE, 0xE0, 0xE1,
                                       0x1F43_B675, 0x1C53_BB6B, 0xBB, 0xB7]

    let bytes: [UInt8]

    func elements(in range: Range<Int>) throws -> [Element] {
        var result: [Element] = []
        var position = range.lowerBound
        while position < range.upperBound {
            let start = position
            let id = try readID(&position)
            let size = try readSize(&position)
            guard position + size <= range.upperBound else { throw Failure.malformed("element \(String(id, radix: 16)) at \(start) runs past its parent") }
            let data = position..<(position + size)
            let children = Self.masters.contains(id) ? try elements(in: data) : []
            result.append(Element(id: id, offset: start, data: data, children: children))
            position += size
        }
        return result
    }

    private func readID(_ position: inout Int) throws -> UInt32 {
        guard position < bytes.count, bytes[position] != 0 else { throw Failure.malformed("bad ID at \(position)") }
        let length = bytes[position].leadingZeroBitCount + 1
        guard length <= 4, position + length <= bytes.count else { throw Failure.malformed("bad ID length at \(position)") }
        var id: UInt32 = 0
        for index in 0..<length { id = id << 8 | UInt32(bytes[position + index]) }
        position += length
        return id
    }

    private func readSize(_ position: inout Int) throws -> Int {
        guard position < bytes.count, bytes[position] != 0 else { throw Failure.malformed("bad size at \(position)") }
        let length = bytes[position].leadingZeroBitCount + 1
        guard position + length <= bytes.count else { throw Failure.malformed("size past the end at \(position)") }
        var value = UInt64(bytes[position]) & (0xFF >> UInt64(length))
        for index in 1..<length { value = value << 8 | UInt64(bytes[position + index]) }
        position += length
        guard value < UInt64(Int.max) else { throw Failure.malformed("unknown or huge size at \(position)") }
        return Int(value)
    }

    func unsigned(_ element: Element) -> UInt64 {
        bytes[element.data].reduce(0) { $0 << 8 | UInt64($1) }
    }

    func string(_ element: Element) -> String { String(decoding: bytes[element.data], as: UTF8.self) }

    func float(_ element: Element) -> Double {
        let bits = bytes[element.data].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return element.data.count == 4 ? Double(Float(bitPattern: UInt32(bits))) : Double(bitPattern: bits)
    }
}
