/// A subscriber's streams by SSRC (media and RTX), found by binary search over a sorted array:
/// looked up once per received packet, where hashing the SSRC cost more than the search.
struct StreamDirectory {
    /// Where a packet with a given SSRC goes: the stream's index, and whether it is that stream's RTX.
    struct Entry {
        var index: Int
        var isRTX: Bool
    }

    private var ssrcs: [UInt32] = []
    private var entries: [Entry] = []

    /// Adds or replaces the entry for `ssrc`.
    mutating func set(_ entry: Entry, for ssrc: UInt32) {
        let position = insertionPoint(of: ssrc)
        if position < ssrcs.count, ssrcs[position] == ssrc {
            entries[position] = entry
        } else {
            ssrcs.insert(ssrc, at: position)
            entries.insert(entry, at: position)
        }
    }

    /// The entry for `ssrc`, or nil.
    subscript(ssrc: UInt32) -> Entry? {
        let position = insertionPoint(of: ssrc)
        guard position < ssrcs.count, ssrcs[position] == ssrc else { return nil }
        return entries[position]
    }

    /// The first position whose SSRC is not below `ssrc`.
    private func insertionPoint(of ssrc: UInt32) -> Int {
        ssrcs.withUnsafeBufferPointer { sorted in
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < ssrc { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
