import Foundation
#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Waits for the first reason to stop: a signal, stdin closing, or the parent process exiting.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    private let semaphore = DispatchSemaphore(value: 0)
    private var sources: [any DispatchSourceProtocol] = []
    private let queue = DispatchQueue(label: "sfulab.serve.stop")

    func stop(_ why: String) {
        let first = lock.withLock {
            guard reason == nil else { return false }
            reason = why
            return true
        }
        if first { semaphore.signal() }
    }

    func wait() -> String {
        semaphore.wait()
        return lock.withLock { reason ?? "" }
    }

    /// The reason, once something asked to stop; nil before.
    var reasonIfStopped: String? { lock.withLock { reason } }

    func onSignals(_ signals: [Int32]) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [self] in stop(number == SIGINT ? "SIGINT" : "SIGTERM") }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops when stdin reaches end of file (the parent held the pipe and died or closed it) or
    /// when the parent process changes (it died and this process was re-parented).
    func onParentExit() {
        let parent = getppid()
        Thread.detachNewThread { [self] in
            var byte: UInt8 = 0
            while true {
                let count = read(STDIN_FILENO, &byte, 1)
                if count == 0 || (count < 0 && errno != EINTR) { break }
            }
            stop("stdin closed")
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler { [self] in
            if getppid() != parent { stop("parent exited") }
        }
        timer.resume()
        sources.append(timer)
    }
}
