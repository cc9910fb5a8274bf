extension UnsafeMutablePointer {
    /// Moves the first `count` elements into a new allocation of `capacity` elements (the rest
    /// uninitialized), deallocates this one and returns the new one: the growth step of the
    /// manually managed stores (output queue, packet pool, the trial's datagram store and wake
    /// queue, `InPlaceArray`).
    @inlinable
    public func reallocated(moving count: Int, capacity: Int) -> UnsafeMutablePointer<Pointee> {
        precondition(capacity >= count, "reallocation smaller than its contents")
        let bigger = UnsafeMutablePointer<Pointee>.allocate(capacity: capacity)
        bigger.moveInitialize(from: self, count: count)
        deallocate()
        return bigger
    }
}
