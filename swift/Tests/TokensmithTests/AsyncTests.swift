import Foundation
import XCTest
@testable import Tokensmith

/// The async clients from Swift concurrency: one token fetch for many tasks, cancellation that reaches the core.
final class AsyncTests: XCTestCase {
    let config = ClientConfig(baseUrl: Mock.baseURL, initialBackoffMs: 10)
    let quota = "/api/open/v3/faceswap/quota/info"
    let getToken = "/api/open/v3/getToken"

    override func setUp() {
        Mock.reset()
    }

    func testSixtyFourFirstCallsShareOneTokenFetch() async throws {
        Mock.fault(#"{"kind": "delay", "ms": 200, "path": "/api/open/v3/getToken"}"#)
        let akool = try AsyncAkoolClient.fromClientCredentials(clientId: "mock-client-id", clientSecret: "mock-api-key-0123456789abcdefghi", config: config)
        let answers = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<64 { group.addTask { try await akool.request(method: "GET", path: self.quota) } }
            var all = [String]()
            for try await answer in group { all.append(answer) }
            return all
        }
        XCTAssertEqual(answers.count, 64)
        XCTAssertTrue(answers.allSatisfy { $0.contains(#""auth":"bearer""#) })
        let counts = Mock.state()["counts"] as! [String: Any]
        XCTAssertEqual((counts["POST \(getToken)"] as! NSNumber).intValue, 1)
        XCTAssertEqual((counts["GET \(quota)"] as! NSNumber).intValue, 64)
    }

    func testCancellingTheTaskAbortsTheCallAndTheClientKeepsWorking() async throws {
        let akool = try AsyncAkoolClient.fromApiKey(apiKey: "mock-api-key-0123456789abcdefghi", config: config)
        Mock.fault(#"{"kind": "delay", "ms": 3000, "path": "/api/open/v3/faceswap/quota/info"}"#)
        let started = Date()
        let task = Task { try await akool.request(method: "GET", path: self.quota) }
        try await Task.sleep(nanoseconds: 100_000_000)
        task.cancel()
        do {
            _ = try await task.value
            XCTFail("a cancelled call succeeded")
        } catch is CancellationError {
            // expected
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 1.5, "the cancellation did not reach the core")
        let data = try await akool.request(method: "GET", path: quota)
        XCTAssertTrue(data.contains(#""auth":"x-api-key""#), data)
        let counts = Mock.state()["counts"] as! [String: Any]
        XCTAssertEqual((counts["GET \(quota)"] as! NSNumber).intValue, 2, "the cancelled call was not retried")
    }

    func testErrorsAreTypedFromAsyncCalls() async throws {
        let platform = try AsyncAceDataPlatform(platformToken: "wrong-token", config: config)
        do {
            _ = try await platform.listCredentials()
            XCTFail("a wrong token was accepted")
        } catch let TokensmithError.Authentication(details) {
            XCTAssertEqual(details.status, 401)
            XCTAssertEqual(details.vendorCode, "invalid_token")
            XCTAssertNotNil(details.traceId)
        }
    }
}
