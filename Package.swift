// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "jukisim",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jukisim", targets: ["jukisim"]),
        // The training server: a product of its own, so `swift run jukisim` never builds the web stack.
        .executable(name: "jukisim-train", targets: ["jukisim-train"]),
        // Wall-clock runs with a live /metrics endpoint (Hummingbird), for the same reason.
        .executable(name: "jukisim-live", targets: ["jukisim-live"]),
        .library(name: "JukiCore", targets: ["JukiCore"]),
        .library(name: "JukiRegister", targets: ["JukiRegister"]),
        .library(name: "JukiPopulation", targets: ["JukiPopulation"]),
        .library(name: "JukiSimulation", targets: ["JukiSimulation"]),
        .library(name: "JukiNetwork", targets: ["JukiNetwork"]),
        .library(name: "JukiScenario", targets: ["JukiScenario"]),
        .library(name: "JukiAudit", targets: ["JukiAudit"]),
        .library(name: "JukiNetworkTesting", targets: ["JukiNetworkTesting"]),
        .library(name: "JukiTraining", targets: ["JukiTraining"]),
    ],
    traits: [
        .trait(
            name: "Jemalloc",
            description: "Link jemalloc (apt: libjemalloc-dev) as the process allocator; reports add its statistics."
        ),
        .trait(
            name: "OTel",
            description:
                "Export each run's traces and metrics with swift-otel (OTLP/HTTP) when OTEL_EXPORTER_OTLP_ENDPOINT is set."
        ),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        // Only the OTel trait builds it: its OTLP/HTTP exporter brings AsyncHTTPClient and SwiftProtobuf (minutes).
        .package(url: "https://github.com/swift-otel/swift-otel", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-distributed-tracing", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    ],
    targets: [
        .target(name: "JukiCore", swiftSettings: strictSettings),
        .target(name: "JukiRegister", dependencies: ["JukiCore"], swiftSettings: strictSettings),
        .target(name: "JukiPopulation", dependencies: ["JukiCore", "JukiRegister"], swiftSettings: strictSettings),
        .systemLibrary(
            name: "CJemalloc",
            pkgConfig: "jemalloc",
            providers: [.apt(["libjemalloc-dev"]), .brew(["jemalloc"])]
        ),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .target(
            name: "JukiSimulation",
            dependencies: [
                "JukiCore", "CZlib", .product(name: "Histogram", package: "hdrhistogram-swift"),
                .target(name: "CJemalloc", condition: .when(traits: ["Jemalloc"])),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "JukiAudit",
            dependencies: ["JukiCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "JukiNetwork",
            dependencies: ["JukiCore", "JukiRegister", "JukiPopulation", "JukiSimulation", "JukiAudit"],
            // Plain imports are public here: nearly every file exposes types of the modules below.
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .target(
            name: "JukiNetworkTesting", dependencies: ["JukiSimulation", "JukiNetwork"],
            swiftSettings: strictSettings),
        .target(
            name: "JukiScenario",
            dependencies: [
                "JukiCore", "JukiPopulation", "JukiSimulation", "JukiNetwork", "JukiAudit",
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .target(
            name: "JukiTraining",
            dependencies: [
                "JukiCore", "JukiRegister", "JukiPopulation", "JukiNetwork", "JukiScenario",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "JukiTrainingServer",
            dependencies: [
                "JukiCore", "JukiRegister", "JukiSimulation", "JukiNetwork", "JukiScenario", "JukiTraining",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "jukisim-train",
            dependencies: [
                "JukiTrainingServer", "JukiTraining", "JukiScenario",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "jukisim",
            dependencies: [
                "JukiCore", "JukiRegister", "JukiPopulation", "JukiSimulation", "JukiNetwork", "JukiScenario",
                "JukiAudit", "JukiTraining", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "OTel", package: "swift-otel", condition: .when(traits: ["OTel"])),
                .product(name: "Tracing", package: "swift-distributed-tracing", condition: .when(traits: ["OTel"])),
                .product(name: "Metrics", package: "swift-metrics", condition: .when(traits: ["OTel"])),
                .product(
                    name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["OTel"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["OTel"])),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "jukisim-live",
            dependencies: [
                "JukiScenario", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "jukifuzz",
            dependencies: ["JukiCore", "JukiScenario"],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
        .testTarget(name: "JukiCoreTests", dependencies: ["JukiCore"], swiftSettings: strictSettings),
        .testTarget(name: "JukiRegisterTests", dependencies: ["JukiRegister"], swiftSettings: strictSettings),
        .testTarget(
            name: "JukiPopulationTests",
            dependencies: ["JukiPopulation", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "JukiSimulationTests", dependencies: ["JukiSimulation"], swiftSettings: strictSettings),
        .testTarget(name: "JukiAuditTests", dependencies: ["JukiAudit"], swiftSettings: strictSettings),
        .testTarget(
            name: "JukiNetworkTests", dependencies: ["JukiNetwork", "JukiNetworkTesting"], swiftSettings: strictSettings
        ),
        .testTarget(name: "JukiScenarioTests", dependencies: ["JukiScenario"], swiftSettings: strictSettings),
        .testTarget(name: "JukiTrainingTests", dependencies: ["JukiTraining"], swiftSettings: strictSettings),
        .testTarget(
            name: "JukiTrainingServerTests",
            dependencies: [
                "JukiTrainingServer", "JukiTraining", "JukiScenario", "JukiNetwork", "JukiCore", "JukiRegister",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "JukisimTests", dependencies: ["jukisim"], swiftSettings: strictSettings),
    ],
    swiftLanguageModes: [.v6]
)
