import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether this machine can run live mode's kernel impairment path (docs/live-mode.md): Linux,
/// CAP_NET_ADMIN and CAP_SYS_ADMIN (root, in practice) for network namespaces and TUN devices,
/// /dev/net/tun, and iproute2's `ip`.
public enum KernelImpairment {
    /// Why the kernel path cannot run here, or nil when it can.
    public static var unavailableReason: String? {
        #if os(Linux)
        if let missing = missingCapabilities() { return "needs \(missing) (run as root)" }
        if access("/dev/net/tun", R_OK | W_OK) != 0 { return "/dev/net/tun is missing or not read-write (modprobe tun)" }
        if IPCommand.path == nil { return "iproute2's `ip` is not installed (apt-get install iproute2)" }
        return nil
        #else
        return "network namespaces and TUN devices are Linux only"
        #endif
    }

    /// Whether the kernel path can run here.
    public static var isAvailable: Bool { unavailableReason == nil }

    /// The capabilities among CAP_NET_ADMIN (12) and CAP_SYS_ADMIN (21) this process lacks, from
    /// the effective set in /proc/self/status; nil when it has both.
    static func missingCapabilities() -> String? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let mask = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return "CAP_NET_ADMIN and CAP_SYS_ADMIN" }
        let missing = [(12, "CAP_NET_ADMIN"), (21, "CAP_SYS_ADMIN")].filter { mask & (1 << UInt64($0.0)) == 0 }.map(\.1)
        return missing.isEmpty ? nil : missing.joined(separator: " and ")
    }
}
