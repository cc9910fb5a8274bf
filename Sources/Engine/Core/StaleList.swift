/// Indices of components whose cached deadline must be recomputed, shared between the engine and
/// the components (which add themselves when something their deadline depends on changes), so
/// that the engine refreshes only those instead of scanning every transport or stream after
/// every datagram. With many participants those scans were the larger part of a trial.
final class StaleList {
    private var indices: [Int] = []

    /// Whether nothing is stale.
    var isEmpty: Bool { indices.isEmpty }

    /// Adds `index` (callers add each index at most once until it is drained).
    func add(_ index: Int) { indices.append(index) }

    /// Hands every stale index to `body`, in the order added, and empties the list (keeping its
    /// storage). `body` must not add indices.
    func drain(_ body: (Int) -> Void) {
        var position = 0
        while position < indices.count {
            body(indices[position])
            position += 1
        }
        indices.removeAll(keepingCapacity: true)
    }
}
