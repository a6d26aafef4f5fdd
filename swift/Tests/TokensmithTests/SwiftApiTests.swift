import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import Tokensmith

/// What is particular to Swift: a success and a thrown error, readable descriptions, no secret in any of them.
final class SwiftApiTests: XCTestCase {
    let config = ClientConfig(baseUrl: Mock.baseURL, initialBackoffMs: 10)

    override func setUp() {
        Mock.reset()
    }

    func testARequestSucceeds() throws {
        let akool = try AkoolClient.fromClientCredentials(clientId: "mock-client-id", clientSecret: "mock-api-key-0123456789abcdefghi", config: config)
        let data = try JSONSerialization.jsonObject(with: Data(try akool.request(method: "GET", path: "/api/open/v3/faceswap/quota/info").utf8)) as! [String: Any]
        XCTAssertEqual(data["auth"] as? String, "bearer")
        XCTAssertEqual(try akool.authHeaders()["authorization"], "Bearer " + (try akool.token()))
    }

    func testErrorsAreTypedAndReadable() throws {
        Mock.fault(#"{"kind": "akool_code", "code": 1200}"#)
        let akool = try AkoolClient.fromApiKey(apiKey: "mock-api-key-0123456789abcdefghi", config: config)
        XCTAssertThrowsError(try akool.request(method: "GET", path: "/api/open/v3/x")) { error in
            guard case let TokensmithError.AccountBanned(details) = error else {
                return XCTFail("not AccountBanned: \(error)")
            }
            XCTAssertEqual(details.akoolCode, 1200)
            XCTAssertEqual(details.status, 200)
            XCTAssertEqual(details.kind, "AccountBanned")
            XCTAssertEqual(details.message, "account banned (HTTP 200, Akool code 1200: The account has been banned)")
            XCTAssertEqual((error as? TokensmithError)?.details(), details)
            XCTAssertEqual("\(error)", details.message)
            XCTAssertEqual(error.localizedDescription, details.message)
        }
    }

    func testNoDescriptionShowsASecret() throws {
        let platform = try AceDataPlatform(platformToken: "platform-v1-mock-0123456789", config: config)
        let created = try platform.createCredential(new: NewCredential(applicationId: "107f8d0f-e465-4a7e-a49e-d633d26f7aa2"))
        let token = try XCTUnwrap(created.token())
        for form in ["\(created)", String(reflecting: created), "\(try platform.listCredentials())", "\(platform)"] {
            XCTAssertFalse(form.contains(token), form)
        }
        let canary = "canary-swift-c0ffee"
        let client = try AkoolClient.fromApiKey(apiKey: canary)
        XCTAssertFalse("\(client)".contains(canary))
    }

    func testUsersOfTheirOwnHTTPClientRenewARefusedTokenOnce() throws {
        let akool = try AkoolClient.fromClientCredentials(clientId: "mock-client-id", clientSecret: "mock-api-key-0123456789abcdefghi", config: config)
        func ownCall() throws -> String {
            var request = URLRequest(url: URL(string: Mock.baseURL + "/api/open/v3/faceswap/quota/info")!)
            for (name, value) in try akool.authHeaders() { request.setValue(value, forHTTPHeaderField: name) }
            let done = DispatchSemaphore(value: 0)
            var body = Data()
            URLSession.shared.dataTask(with: request) { data, _, _ in
                body = data ?? Data()
                done.signal()
            }.resume()
            done.wait()
            return String(decoding: body, as: UTF8.self)
        }
        XCTAssertFalse(isTokenExpired(body: try ownCall()))
        let stale = try akool.token()
        Mock.expireTokens()
        XCTAssertTrue(isTokenExpired(body: try ownCall()))
        akool.invalidateToken(stale: stale)
        akool.invalidateToken(stale: stale)
        XCTAssertFalse(isTokenExpired(body: try ownCall()))
        XCTAssertEqual(Mock.counts()["POST /api/open/v3/getToken"], 2)
    }
}
