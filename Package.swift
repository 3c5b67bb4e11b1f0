// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tms",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "TMS", targets: ["TMS"]),
        .library(name: "TrackingMore", targets: ["TrackingMore"]),
        .executable(name: "tms", targets: ["tms"]),
        .executable(name: "ticket-bot", targets: ["TicketBot"]),
        .executable(name: "tms-envelope-server", targets: ["tms-envelope-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.34.1"),
    ],
    targets: [
        .target(
            name: "TrackingMore",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "TrackingMoreSandbox",
            dependencies: [
                "TrackingMore", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for what GRDB does not wrap (the WAL hook of `Checkpointer`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), .product(name: "Crypto", package: "swift-crypto"),
                "CSQLiteConfig",
            ]
        ),
        // SQLite's process-wide settings (`sqlite3_config` is variadic, which Swift cannot call),
        // and the VFS that writes a WAL's frames a commit at a time.
        .target(name: "CSQLiteConfig", linkerSettings: [.linkedLibrary("sqlite3")]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .target(name: "TMSShell", dependencies: ["TMS", "CEditLine"]),
        // tms's crash report (a signal handler, so C): see docs/reliability.md.
        .target(name: "CCrashReport"),
        // glibc's malloc settings (`mallopt` is in malloc.h, which Swift's Glibc module leaves out).
        .target(name: "CMallocConfig"),
        .target(
            name: "TMSServer",
            dependencies: [
                "TrackingMoreSandbox", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]
        ),
        // The verb registry is generated from the verb files (Plugins/VerbRegistry).
        .target(name: "TMS", dependencies: ["TrackingMore"], plugins: ["VerbRegistry"]),
        .plugin(name: "VerbRegistry", capability: .buildTool()),
        // `listen`: a webhook receiver (Hummingbird) as a verb, so the language stays free of HTTP.
        .target(
            name: "TMSListen",
            dependencies: [
                "TMS", "TrackingMore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .executableTarget(
            name: "tms",
            dependencies: [
                "TMS", "TMSListen", "TMSServer", "TMSShell", "TrackingMoreSandbox", "CCrashReport", "CMallocConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            // A release tms is linked at a fixed address (not position-independent): the loader
            // then has no relocations to apply to the 189 MB binary at every start (140,000 of
            // them; a third of `tms -c 1`). Nor does it export its 46,000 symbols (the static
            // standard library's flags ask for it), which the runtime searched at every start.
            // See docs/performance.md, "The release binary".
            linkerSettings: [.unsafeFlags(["-Xclang-linker", "-no-pie", "-Xlinker", "--no-export-dynamic"], .when(platforms: [.linux], configuration: .release))]
        ),
        .testTarget(
            name: "TrackingMoreTests",
            dependencies: [
                "TrackingMore", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "TrackingMoreSandboxTests",
            dependencies: [
                "TrackingMoreSandbox", .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // An example host: docs/embedding.md walks through it, and the tests run it.
        .executableTarget(name: "TicketBot", dependencies: ["TMS", "TrackingMoreSandbox"], path: "examples/embed"),
        // make bench: the fixed-envelope Hummingbird server tms serve is measured against.
        .executableTarget(
            name: "tms-envelope-server", dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/EnvelopeServer"),
        // The child process BadInputTests starts (posix_spawn) for each input it checks.
        .executableTarget(name: "BadInputChecker", dependencies: ["TMS", "TrackingMore"], path: "Tests/BadInputChecker"),
        .testTarget(
            name: "TMSTests",
            dependencies: ["TMS", "TrackingMoreSandbox", "BadInputChecker", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Snapshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (Fuzz/, see docs/reliability.md): only with TMS_FUZZ set, as `make fuzz`
// does, because they have no main of their own (libFuzzer's is linked by -sanitize=fuzzer).
if Context.environment["TMS_FUZZ"] != nil {
    package.targets += [
        .target(name: "FuzzSupport", path: "Fuzz/Support"),
        .executableTarget(name: "FuzzLanguage", dependencies: ["TMS", "TrackingMoreSandbox", "FuzzSupport"], path: "Fuzz/Language"),
        .executableTarget(name: "FuzzSandbox", dependencies: ["TrackingMoreSandbox", "FuzzSupport"], path: "Fuzz/Sandbox"),
        .executableTarget(name: "FuzzJSON", dependencies: ["TrackingMore"], path: "Fuzz/JSON"),
        .executableTarget(name: "FuzzCSV", dependencies: ["TMS", "FuzzSupport"], path: "Fuzz/CSV"),
    ]
    package.products += ["FuzzLanguage", "FuzzSandbox", "FuzzJSON", "FuzzCSV"].map { .executable(name: $0, targets: [$0]) }
}
