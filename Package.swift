// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tms",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "TMS", targets: ["TMS"]),
        .library(name: "TrackingMore", targets: ["TrackingMore"]),
        .executable(name: "tms", targets: ["tms"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "TrackingMore"),
        .target(name: "TMS", dependencies: ["TrackingMore"]),
        .executableTarget(
            name: "tms",
            dependencies: [
                "TMS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "TrackingMoreTests", dependencies: ["TrackingMore"]),
        .testTarget(
            name: "TMSTests",
            dependencies: ["TMS"],
            exclude: ["Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
