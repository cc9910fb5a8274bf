// swift-tools-version: 6.1
// sfulab's benchmarks, on ordo-one/benchmark, in a package of their own so that the main package
// does not depend on the benchmark tooling. Run from this directory: see ../docs/benchmarks.md.
import PackageDescription

import struct Foundation.URL

// The main package is the parent directory; SwiftPM names a path dependency after its folder
// (`sfulab` in a clone, something else in a git worktree).
let sfulabPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .lastPathComponent.lowercased()

let package = Package(
    name: "sfulab-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "ForwardBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Engine", package: sfulabPackage),
            ],
            path: "Benchmarks/ForwardBenchmarks",
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
