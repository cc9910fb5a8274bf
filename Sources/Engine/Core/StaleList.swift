/// Indices of components whose cached deadline must be recomputed, shared between the engine and
/// the components (which add themselves when something their deadline depends on changes), so
/// that the engine refreshes only those instead of scanning every transport or stream after
/// every datagram. With many participants those scans were the larger part of a trial.
final class StaleList {
    /// The stale indices are `indices[0..<count]`; the storage is reused, never shrunk.
    private var indices: [Int] = []
    private var count = 0

    /// Whether nothing is stale.
    var isEmpty: Bool { count == 0 }

    /// Adds `index` (callers add each index at most once until it is drained).
    func add(_ index: Int) {
        if count < indices.count {
            indices[count] = index
        } else {
            indices.append(index)
        }
        count += 1
    }

    /// Hands every stale index to `body`, in the order added, and empties the list. `body` must
    /// not add indices.
    func drain(_ body: (Int) -> Void) {
        var position = 0
        while position < count {
            body(indices[position])
            position += 1
        }
        count = 0
    }
}
