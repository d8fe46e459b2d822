// swift-tools-version:6.0

import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "minihttp",
    // Linux only: the server stands on epoll, eventfd, accept4, signalfd and openat2 (see the README), so
    // no Apple platform is declared.
    products: [
        .library(name: "MiniHTTP", targets: ["MiniHTTP"]),
        .executable(name: "minihttp", targets: ["minihttp"]),
        // Optional: the server as a swift-service-lifecycle Service. Only programs that use it build it.
        .library(name: "MiniHTTPServiceLifecycle", targets: ["MiniHTTPServiceLifecycle"]),
        // Tests an application's routes through the real server: in process (no socket bound) or live.
        .library(name: "MiniHTTPTesting", targets: ["MiniHTTPTesting"]),
    ],
    dependencies: [
        // Ranges from the versions built and tested here: an application may take any later minor release.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Linux headers that Swift's Glibc module leaves out: epoll, eventfd, accept4, signalfd, openat2.
        .target(name: "CSystem"),
        // zlib from zlib1g-dev / libz-dev, for gzip.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // The layers, bottom up; a wrong arrow (HTTP importing the server, routing importing static files)
        // does not compile.
        // Pure HTTP/1.1: parser, chunked decoding, transfer codings, methods, statuses, header encoding, dates,
        // the PROXY protocol and Forwarded, and the connection's lifecycle as a state machine. No sockets,
        // threads or clocks: the fuzzers and the parser benchmark build this folder alone.
        .target(
            name: "MiniHTTPCore",
            swiftSettings: strictSwift6
        ),
        // Every syscall: sockets, epoll, eventfd, threads, locks, open files, signals, the monotonic clock.
        .target(
            name: "MiniHTTPPosix",
            dependencies: ["CSystem", "MiniHTTPCore"],
            swiftSettings: strictSwift6
        ),
        // What an application programs against: requests, responses, routes, responders.
        .target(
            name: "MiniHTTPRouting",
            dependencies: ["MiniHTTPCore", "MiniHTTPPosix"],
            swiftSettings: strictSwift6
        ),
        // The server: workers and their connections, static files, status and metrics, configuration.
        .target(
            name: "MiniHTTP",
            dependencies: [
                "CSystem",
                "CZlib",
                "MiniHTTPCore",
                "MiniHTTPPosix",
                "MiniHTTPRouting",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "minihttp",
            dependencies: [
                "MiniHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        // The README's embedding example, and the benchmark's code-route server: `GET /plain`.
        .executableTarget(
            name: "MiniHTTPExample",
            dependencies: ["MiniHTTP"],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "MiniHTTPServiceLifecycle",
            dependencies: [
                "MiniHTTP",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "MiniHTTPTesting",
            dependencies: ["MiniHTTP", "MiniHTTPCore", "MiniHTTPPosix", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSwift6
        ),
        // Public API only (no @testable): what an application's tests can write.
        .testTarget(
            name: "MiniHTTPTestingTests",
            dependencies: ["MiniHTTP", "MiniHTTPTesting"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MiniHTTPServiceLifecycleTests",
            dependencies: [
                "MiniHTTPServiceLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        // The worked example (Examples/Todo): a todo API next to a static front end, tested with
        // MiniHTTPTesting only. Not a product: it is built and tested with the package, never shipped.
        .target(
            name: "TodoAPI",
            dependencies: ["MiniHTTP"],
            path: "Examples/Todo/Sources/TodoAPI",
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "todo-server",
            dependencies: ["MiniHTTP", "TodoAPI"],
            path: "Examples/Todo/Sources/todo-server",
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "TodoAPITests",
            dependencies: ["TodoAPI", "MiniHTTP", "MiniHTTPTesting"],
            path: "Examples/Todo/Tests/TodoAPITests",
            swiftSettings: strictSwift6
        ),
        // Every swift block of the README, compiled against the public API (generated; see generate.py).
        .testTarget(
            name: "ReadmeExamplesTests",
            dependencies: [
                "MiniHTTP",
                "MiniHTTPTesting",
                "MiniHTTPServiceLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["generate.py"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MiniHTTPTests",
            dependencies: ["MiniHTTP", "MiniHTTPCore", "MiniHTTPPosix", "MiniHTTPRouting", "CZlib", "CSystem"],
            swiftSettings: strictSwift6
        ),
    ]
)
