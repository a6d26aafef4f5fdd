import Foundation
import XCTest
@testable import Tokensmith
import TokensmithTesting

/// Servers closing idle keep-alive connections and restarting under the clients, as in production (docs/retries.md,
/// "Connections that closed while idle").
final class RuntimeFaultsTests: XCTestCase {
    // No retries: a closed connection must be survived by noticing it, not by retrying.
    let config = ClientConfig(baseUrl: Mock.baseURL, maxRetries: 0)
    let platformToken = "platform-v1-mock-0123456789"
    let clientId = "mock-client-id"
    let apiKey = "mock-api-key-0123456789abcdefghi"
    let applicationId = "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"
    let quota = "/api/open/v3/faceswap/quota/info"
    // Milliseconds in CI; `scripts/test-reliability --long` sets 1 s and 100 rounds.
    let idleMs = UInt64(ProcessInfo.processInfo.environment["TOKENSMITH_FAULT_IDLE_MS"] ?? "") ?? 50
    let rounds = Int(ProcessInfo.processInfo.environment["TOKENSMITH_FAULT_ROUNDS"] ?? "") ?? 5

    override func setUp() {
        Mock.reset()
    }

    /// Also turns the idle close off, for the tests that run after these.
    override func tearDown() {
        Mock.reset()
    }

    private func heldCredentials() throws -> Int {
        let held = try JSONSerialization.jsonObject(with: Data(Mock.server.credentialsJSON().utf8))
        return try XCTUnwrap(held as? [Any]).count
    }

    /// The blocking runtime is driven only during calls, so it must read the server's idle closes and a restart's
    /// closes before reusing a pooled connection: a create (never resent) would fail otherwise.
    func testBlockingClientsSurviveIdleClosesAndRestarts() throws {
        let platform = try AceDataPlatform(platformToken: platformToken, config: config)
        let akool = try AkoolClient.fromClientCredentials(clientId: clientId, clientSecret: apiKey, config: config)
        Mock.server.setIdleClose(ms: idleMs)
        // The setting closes at once what earlier tests left open; a request written at that very instant is the
        // race no client can win (docs/retries.md), so the first call comes after.
        Thread.sleep(forTimeInterval: 2 * Double(idleMs) / 1000)
        for round in 0..<rounds {
            _ = try platform.createCredential(new: NewCredential(applicationId: applicationId))
            let data = try akool.request(method: "GET", path: quota)
            XCTAssertTrue(data.contains(#""auth":"bearer""#), "round \(round): \(data)")
            // A restart closes the connections just used, before the idle close would.
            if round % 2 == 1 { try Mock.server.restart() }
            Thread.sleep(forTimeInterval: 2 * Double(idleMs) / 1000)
        }
        XCTAssertEqual(try heldCredentials(), rounds, Mock.server.credentialsJSON())
        XCTAssertEqual(Mock.server.counts()["GET \(quota)"], UInt64(rounds), "every GET reached the server once")
    }

    /// The same from the async clients, whose I/O runs on the core's runtime, which watches its connections.
    func testAsyncClientsSurviveIdleClosesAndRestarts() async throws {
        let platform = try AsyncAceDataPlatform(platformToken: platformToken, config: config)
        let akool = try AsyncAkoolClient.fromClientCredentials(clientId: clientId, clientSecret: apiKey, config: config)
        Mock.server.setIdleClose(ms: idleMs)
        try await Task.sleep(nanoseconds: 2 * idleMs * 1_000_000) // see the blocking test
        for round in 0..<rounds {
            _ = try await platform.createCredential(new: NewCredential(applicationId: applicationId))
            let data = try await akool.request(method: "GET", path: quota)
            XCTAssertTrue(data.contains(#""auth":"bearer""#), "round \(round): \(data)")
            if round % 2 == 1 { try Mock.server.restart() }
            try await Task.sleep(nanoseconds: 2 * idleMs * 1_000_000)
        }
        XCTAssertEqual(try heldCredentials(), rounds, Mock.server.credentialsJSON())
        XCTAssertEqual(Mock.server.counts()["GET \(quota)"], UInt64(rounds), "every GET reached the server once")
    }
}
