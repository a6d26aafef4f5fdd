// swift-tools-version:5.9
// The Swift package of tokensmith: the UniFFI-generated Swift over the Rust core.
// `scripts/gen-swift` puts the generated `Tokensmith.swift`, the FFI header and the built library in place;
// link with `swift build -Xlinker -L<lib dir>` (see the README).
import PackageDescription

let package = Package(
    name: "Tokensmith",
    products: [
        .library(name: "Tokensmith", targets: ["Tokensmith"]),
        // The mock vendor APIs in the test process, for users' own tests (docs/testing.md).
        .library(name: "TokensmithTesting", targets: ["TokensmithTesting"]),
    ],
    targets: [
        // The C header of the Rust library and its module map (which links `libtokensmith_ffi`).
        .systemLibrary(name: "TokensmithFFI", path: "Sources/TokensmithFFI"),
        // The generated Swift bindings.
        .target(name: "Tokensmith", dependencies: ["TokensmithFFI"], path: "Sources/Tokensmith"),
        .target(name: "TokensmithTesting", dependencies: ["Tokensmith"], path: "Sources/TokensmithTesting"),
        .testTarget(name: "TokensmithTests", dependencies: ["Tokensmith", "TokensmithTesting"], path: "Tests/TokensmithTests"),
    ]
)
