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

    func testLogRecordsReachTheHandlerAtTheMostVerboseLevelWithoutSecrets() throws {
        final class Records: @unchecked Sendable {
            let lock = NSLock()
            var lines: [String] = []
            func add(_ line: String) { lock.lock(); lines.append(line); lock.unlock() }
            var text: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
        }
        let records = Records()
        XCTAssertTrue(TokensmithLogging.setHandler(level: .trace) { level, target, message in
            records.add("\(level) \(target) \(message)")
        })
        defer { TokensmithLogging.setHandler(nil) }
        let secret = "mock-api-key-0123456789abcdefghi"
        let akool = try AkoolClient.fromClientCredentials(clientId: "mock-client-id", clientSecret: secret, config: config)
        _ = try akool.request(method: "GET", path: "/api/open/v3/faceswap/quota/info")
        let token = try akool.token()
        let text = records.text
        XCTAssertTrue(text.contains("debug tokensmith::transport POST /api/open/v3/getToken -> 200"), text)
        XCTAssertTrue(text.contains("GET /api/open/v3/faceswap/quota/info -> 200"), text)
        XCTAssertFalse(text.contains(secret) || text.contains(token), text)
    }

    func testPerCallOptionsApplicationsAndEveryCredential() async throws {
        let platform = try AceDataPlatform(platformToken: "platform-v1-mock-0123456789", config: config)
        for _ in 0..<3 { _ = try platform.createCredential(new: NewCredential(applicationId: "107f8d0f-e465-4a7e-a49e-d633d26f7aa2")) }
        XCTAssertEqual(try platform.iterCredentials(filter: CredentialFilter(limit: 2)).count, 3)
        let async = try AsyncAceDataPlatform(platformToken: "platform-v1-mock-0123456789", config: config)
        var seen = 0
        for try await _ in async.iterCredentials(filter: CredentialFilter(limit: 2), options: CallOptions(headers: ["x-tenant": "acme"])) { seen += 1 }
        XCTAssertEqual(seen, 3)
        XCTAssertEqual(Mock.counts()["GET /api/v1/credentials/"], 4)
        XCTAssertThrowsError(try platform.listCredentials(options: CallOptions(headers: ["Authorization": "Bearer x"]))) { error in
            guard case let TokensmithError.InvalidInput(details) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(details.field, "headers")
        }
        let secretive = CallOptions(headers: ["x-tenant-token": "canary-swift-header"])
        for form in ["\(secretive)", String(reflecting: secretive)] {
            XCTAssertFalse(form.contains("canary"), form)
            XCTAssertTrue(form.contains("x-tenant-token"), form)
        }
        let apps = try await async.listApplications()
        XCTAssertEqual(apps.count, 2)
        XCTAssertEqual(try platform.getApplication(id: apps.items[0].id).kind, "Api")
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
