// swift-tools-version:6.0

import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "minihttp",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MiniHTTP", targets: ["MiniHTTP"]),
        .executable(name: "minihttp", targets: ["minihttp"]),
        // Optional: the server as a swift-service-lifecycle Service. Only programs that use it build it.
        .library(name: "MiniHTTPServiceLifecycle", targets: ["MiniHTTPServiceLifecycle"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // Linux headers that Swift's Glibc module leaves out: epoll, eventfd, accept4, signalfd, openat2.
        .target(name: "CSystem"),
        // zlib from zlib1g-dev / libz-dev, for gzip.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "MiniHTTP",
            dependencies: [
                "CSystem",
                "CZlib",
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
        .testTarget(
            name: "MiniHTTPServiceLifecycleTests",
            dependencies: [
                "MiniHTTPServiceLifecycle",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "MiniHTTPTests",
            dependencies: ["MiniHTTP", "CZlib", "CSystem"],
            swiftSettings: strictSwift6
        ),
    ]
)
