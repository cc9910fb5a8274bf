// swift-tools-version: 6.1
// sfulab: a configuration-driven SFU tuning lab. Module layout and dependency direction: ../shared/DESIGN.md
import PackageDescription

let package = Package(
    name: "sfulab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sfulab", targets: ["sfulab"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "Harness", targets: ["Harness"]),
        .library(name: "Tuner", targets: ["Tuner"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // System libraries, found through pkg-config; `providers` names the Debian packages.
        .systemLibrary(name: "CSRTP", pkgConfig: "libsrtp2", providers: [.apt(["libsrtp2-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "opus", providers: [.apt(["libopus-dev"])]),
        .systemLibrary(name: "CVPX", pkgConfig: "vpx", providers: [.apt(["libvpx-dev"])]),

        // Per-thread heap allocation counter (interposes malloc & co., forwards to glibc): linked
        // only into the CLI (`sfulab bench forward`) and the allocation tests, never into Engine.
        .target(name: "CAllocationCounter"),
        // Linux calls Glibc does not import (setns, TUNSETIFF, ppoll) for live mode's kernel
        // impairment path: a TUN emulator between network namespaces (docs/live-mode.md).
        .target(name: "CNetNamespace"),

        // RTP/RTCP wire formats: parsers and builders, no state, no I/O.
        .target(name: "RTP"),
        // Sans-IO SFU core: never opens a socket, never reads a clock, never draws unseeded randomness.
        // Release builds drop Swift's dynamic exclusivity checks in the engine (a quarter of the
        // forwarding time, docs/benchmarks.md); debug builds, which run the tests, keep them.
        .target(name: "Engine", dependencies: ["RTP"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // DTLS 1.2 handshakes for DTLS-SRTP on OpenSSL and SRTP on libsrtp2, sans-IO (docs/dtls-srtp.md).
        .target(name: "DTLSSRTP", dependencies: ["COpenSSL", "CSRTP", "Engine"]),
        // STUN (RFC 8489) codec, ICE-lite server agent and ICE controlling checker (RFC 8445,
        // RFC 7675 consent), RFC 7983 demultiplexing; sans-IO, OpenSSL only for HMAC (docs/ice.md).
        .target(name: "ICE", dependencies: ["COpenSSL"]),
        // A WebRTC transport's security layers, sans-IO: ICE-lite + DTLS + SRTP around a plain engine
        // transport for the server, ICE controlling checker + DTLS + SRTP for the load generator
        // (docs/webrtc-transport.md).
        .target(name: "WebRTCTransport", dependencies: ["ICE", "DTLSSRTP", "Engine"]),
        // Real media: libopus and libvpx encoders/decoders, workload files.
        .target(name: "Media", dependencies: ["RTP", "COpus", "CVPX"]),
        // Virtual-time scheduler, network emulator, simulated participants, metric collectors.
        // Same trade as the engine: no dynamic exclusivity checks in release, where trials run
        // (15 % of a trial's time); debug builds, which run the tests, keep them.
        .target(
            name: "Harness",
            dependencies: ["Engine", "RTP", "Media", .product(name: "Histogram", package: "hdrhistogram-swift")],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),
        // The engine server's HTTP/JSON control API: bodies shared by server and clients (docs/control-api.md).
        .target(name: "ControlAPI", dependencies: ["Engine"]),
        // Typed client of the control API over NIOHTTP1 (blocking and async), and a launcher for a
        // `sfulab serve` child process (docs/engine-server.md).
        .target(name: "EngineClient", dependencies: [
            "ControlAPI", "Engine",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        // The engine on real sockets: SwiftNIO UDP and TCP (RFC 4571) transports, one event loop per
        // worker, the HTTP control API, JSON logs and Prometheus metrics (docs/engine-server.md).
        .target(name: "EngineServer", dependencies: [
            "Engine", "ControlAPI", "RTP", "EngineClient", "ICE", "DTLSSRTP", "WebRTCTransport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "Histogram", package: "hdrhistogram-swift"),
        ]),
        // Live mode's load generator: the harness's participants on real sockets against a
        // `sfulab serve` process, on one SwiftNIO event loop (docs/live-mode.md).
        .target(name: "LiveHarness", dependencies: [
            "Harness", "Engine", "ControlAPI", "EngineClient", "CNetNamespace", "ICE", "DTLSSRTP", "WebRTCTransport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Records a room of a running engine server through a tap into a session file
        // (`sfulab record --engine`; docs/workload-format.md, "Recording a live engine").
        .target(name: "LiveRecorder", dependencies: [
            "Harness", "Media", "ControlAPI", "EngineClient",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // Profiles, experiments, sweeps, statistics, reports.
        .target(name: "Tuner", dependencies: [
            "Harness", "Engine",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Thin command-line front end.
        .executableTarget(name: "sfulab", dependencies: [
            "Tuner", "Harness", "LiveHarness", "LiveRecorder", "Engine", "CAllocationCounter", "EngineServer", "EngineClient", "DTLSSRTP",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "NativeLibrariesTests", dependencies: ["CSRTP", "COpenSSL", "COpus", "CVPX"]),
        .testTarget(name: "RTPTests", dependencies: [
            "RTP", .product(name: "PropertyBased", package: "swift-property-based"),
        ], exclude: ["FuzzRegressions"]),
        .testTarget(name: "ICETests", dependencies: [
            "ICE", "Engine", .product(name: "PropertyBased", package: "swift-property-based"),
        ], exclude: ["FuzzRegressions"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "RTP", "CAllocationCounter"]),
        .testTarget(name: "DTLSSRTPTests", dependencies: ["DTLSSRTP", "Engine", "CAllocationCounter", "CSRTP"]),
        .testTarget(name: "WebRTCTransportTests", dependencies: ["WebRTCTransport", "ICE", "DTLSSRTP", "Engine", "RTP"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "RTP"]),
        .testTarget(name: "HarnessTests", dependencies: ["Harness", "Engine", "RTP", "Media", .product(name: "Histogram", package: "hdrhistogram-swift")], exclude: ["Fixtures"]),
        .testTarget(name: "TunerTests", dependencies: ["Tuner", "Harness", "Engine"]),
        .testTarget(name: "LiveHarnessTests", dependencies: [
            "LiveHarness", "Harness", "Engine", "Media", "EngineClient", "ControlAPI",
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "EngineServerTests", dependencies: [
            "EngineServer", "EngineClient", "ControlAPI", "Engine", "RTP", "LiveRecorder", "Harness", "Media",
            "WebRTCTransport", "ICE", "DTLSSRTP",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
        ]),
    ]
)
