// swift-tools-version:5.9
// The Swift driver of bench/run's telemetry section (bench/swift-driver/Sources/AuthHeaders/main.swift), against the
// package in ../../swift: built and run in the Swift chroot of scripts/test-swift, where bench/run copies both.
import PackageDescription

let package = Package(
    name: "TokensmithBench",
    dependencies: [.package(path: "../../swift")],
    targets: [
        .executableTarget(
            name: "AuthHeaders",
            dependencies: [.product(name: "Tokensmith", package: "swift")],
            path: "Sources/AuthHeaders"
        ),
    ]
)
