#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// The clocks the server reads: the monotonic clock (the one `NIODeadline` uses, so engine instants
/// and event-loop deadlines convert exactly) and the calling thread's CPU time.
enum MonotonicClock {
    /// Nanoseconds of CLOCK_MONOTONIC.
    @inline(__always)
    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    /// CPU time the calling thread has used, nanoseconds (CLOCK_THREAD_CPUTIME_ID).
    @inline(__always)
    static func threadCPU() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
