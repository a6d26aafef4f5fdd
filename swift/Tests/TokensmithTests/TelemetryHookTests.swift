import Foundation
import XCTest
@testable import Tokensmith
import TokensmithTesting

/// The telemetry hook (docs/observability.md, "Swift"): swift-distributed-tracing and OpenTelemetry for Swift cannot
/// be installed where this package is built, so Swift programs bridge the hook to their tracer. These tests check
/// the hook itself: started on the caller's thread for each call, its propagation headers sent on every attempt,
/// finished with the report (attempts, retries, the token fetch, the error), and no secret in any report; each
/// credential page is a call of its own; the client's `telemetry` setting keeps a client's calls from the hook, or
/// their context from the vendor.
final class TelemetryHookTests: XCTestCase {
    let quota = "/api/open/v3/faceswap/quota/info"
    let getToken = "/api/open/v3/getToken"
    let apiKey = "mock-api-key-0123456789abcdefghi"
    let clientId = "mock-client-id"
    let credentials = "/api/v1/credentials/"

    /// Records what the core hands it; the traceparent names the call's handle as its span id.
    final class Recording: TelemetryHook, @unchecked Sendable {
        let lock = NSLock()
        var started: [(String, Thread)] = []
        var finished: [(Int64, TelemetryReport)] = []

        func start(operation: String) -> TelemetryStart? {
            lock.lock()
            defer { lock.unlock() }
            started.append((operation, Thread.current))
            let handle = Int64(started.count)
            let traceparent = String(format: "00-%032x-%016llx-01", 7, handle)
            return TelemetryStart(handle: handle, propagation: ["traceparent": traceparent])
        }

        func finish(handle: Int64, report: TelemetryReport) {
            lock.lock()
            defer { lock.unlock() }
            finished.append((handle, report))
        }
    }

    override func setUp() {
        Mock.reset()
    }

    /// The traceparent the `Recording` hook gives the call of this handle.
    func traceparent(_ handle: Int64) -> String { String(format: "00-%032x-%016llx-01", 7, handle) }

    /// The mock holding `count` credentials (made before any hook is set, so that no test sees their calls).
    func credentialsOnTheMock(_ count: Int) throws {
        let platform = try Mock.server.platform()
        for _ in 0..<count { _ = try platform.createCredential(new: NewCredential(applicationId: Mock.server.applicationId)) }
    }

    /// The traceparent of each credential listing the mock received, oldest first.
    func listingsSent() -> [String?] {
        Mock.server.requests().filter { $0.method == "GET" && $0.path.hasPrefix(credentials) }.map(\.traceparent)
    }

    override func tearDown() {
        setTelemetryHook(hook: nil)
        Mock.reset()
    }

    func testBlockingCallsAreTracedThroughTheHookWithTheirRetriesAndTraceparent() throws {
        let hook = Recording()
        setTelemetryHook(hook: hook)
        Mock.fault(#"{"kind": "status", "status": 503, "path": "\#(quota)", "times": 1, "retry_after": "0"}"#)
        let akool = try AkoolClient.fromApiKey(apiKey: apiKey, config: ClientConfig(baseUrl: Mock.baseURL))
        _ = try akool.request(method: "GET", path: quota)
        XCTAssertEqual(hook.started.map(\.0), ["akool.request"])
        XCTAssertTrue(hook.started[0].1 === Thread.current, "started on the caller's thread")
        let (handle, report) = try XCTUnwrap(hook.finished.first)
        XCTAssertEqual(handle, 1)
        XCTAssertEqual(report.operation, "akool.request")
        XCTAssertNil(report.errorType)
        XCTAssertEqual(report.attempts.count, 2)
        XCTAssertEqual(report.attempts[0].errorType, "503")
        XCTAssertTrue(report.attempts[1].attributes.contains { attribute in
            if case .integer(let value) = attribute.value { return attribute.key == "http.request.resend_count" && value == 1 }
            return false
        })
        let sent = Mock.server.requests().filter { $0.path == quota }.map(\.traceparent)
        XCTAssertEqual(sent, Array(repeating: String(format: "00-%032x-%016llx-01", 7, 1), count: 2))
    }

    func testATracedCallsLogRecordsCarryItsIdsAsMetadata() throws {
        setTelemetryHook(hook: Recording())
        final class Seen: @unchecked Sendable {
            let lock = NSLock()
            var metadata: [[String: String]] = []
        }
        let seen = Seen()
        TokensmithLogging.setHandler(level: .info, metadata: { _, _, message, metadata in
            guard message.hasPrefix("retrying") else { return }
            seen.lock.lock(); seen.metadata.append(metadata); seen.lock.unlock()
        })
        defer { TokensmithLogging.setHandler(nil) }
        Mock.fault(#"{"kind": "status", "status": 503, "path": "\#(quota)", "times": 1, "retry_after": "0"}"#)
        let akool = try AkoolClient.fromApiKey(apiKey: apiKey, config: ClientConfig(baseUrl: Mock.baseURL))
        _ = try akool.request(method: "GET", path: quota)
        XCTAssertEqual(seen.metadata.first?["trace_id"], String(format: "%032x", 7))
        XCTAssertEqual(seen.metadata.first?["span_id"], String(format: "%016llx", Int64(1)))
    }

    func testAsyncCallsReportTheSharedTokenFetchAndErrors() async throws {
        let hook = Recording()
        setTelemetryHook(hook: hook)
        let config = ClientConfig(baseUrl: Mock.baseURL)
        let akool = try AsyncAkoolClient.fromClientCredentials(clientId: clientId, clientSecret: apiKey, config: config)
        Mock.fault(#"{"kind": "delay", "ms": 200, "path": "\#(getToken)"}"#)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { _ = try await akool.request(method: "GET", path: self.quota) } }
            try await group.waitForAll()
        }
        XCTAssertEqual(Mock.counts()["POST \(getToken)"], 1)
        let fetches = hook.finished.compactMap(\.1.tokenFetch)
        XCTAssertEqual(fetches.count, 8, "every call waited for the one fetch")
        XCTAssertEqual(Set(fetches.map { $0.fetch.id() }).count, 1)
        XCTAssertEqual(fetches.filter { $0.fetch.isLeader() }.count, 1)
        XCTAssertEqual(fetches.compactMap { $0.fetch.claim() }.count, 1, "one claims it")
        XCTAssertEqual(fetches[0].span.name, "akool.get_token")

        Mock.fault(#"{"kind": "akool_code", "code": 1200, "path": "\#(quota)"}"#)
        do {
            _ = try await akool.request(method: "GET", path: quota)
            XCTFail("banned")
        } catch {}
        let report = try XCTUnwrap(hook.finished.last?.1)
        XCTAssertEqual(report.errorType, "AccountBanned")
        XCTAssertTrue(report.attributes.contains { attribute in
            if case .integer(let value) = attribute.value { return attribute.key == "tokensmith.akool.code" && value == 1200 }
            return false
        })
        // The conformance suite's canary as an API key, in a body and in a header: in no report.
        let path = ProcessInfo.processInfo.environment["TOKENSMITH_CASES"] ?? "../tests/conformance/cases.json"
        let suite = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let canary = suite["canary"] as! String
        Mock.fault(#"{"kind": "echo_auth", "path": "\#(quota)"}"#)
        let leaky = try AsyncAkoolClient.fromApiKey(apiKey: canary, config: ClientConfig(baseUrl: Mock.baseURL, maxRetries: 0))
        _ = try? await leaky.request(method: "POST", path: quota, jsonBody: #"{"secret": "\#(canary)"}"#,
                                     options: CallOptions(headers: ["x-tenant": canary]))
        let text = "\(hook.finished)"
        for secret in [canary, apiKey, "Bearer "] {
            XCTAssertFalse(text.contains(secret), "\(secret) in a report")
        }
    }

    func testEachCredentialPageIsAListCredentialsCallStartedOnTheCallersThread() throws {
        try credentialsOnTheMock(3)
        let hook = Recording()
        setTelemetryHook(hook: hook)
        let listed = try Mock.server.platform().iterCredentials(filter: CredentialFilter(limit: 2))
        XCTAssertEqual(listed.count, 3)
        XCTAssertEqual(hook.started.map(\.0), ["acedata.list_credentials", "acedata.list_credentials"],
                       "one call per page fetched, none for the end")
        XCTAssertTrue(hook.started.allSatisfy { $0.1 === Thread.current }, "each started on the caller's thread")
        XCTAssertEqual(hook.finished.map(\.0), [1, 2])
        XCTAssertEqual(hook.finished.map(\.1.operation), ["acedata.list_credentials", "acedata.list_credentials"])
        XCTAssertEqual(hook.finished.map(\.1.attempts.count), [1, 1])
        XCTAssertEqual(hook.finished.map { $0.1.attempts[0].name }, ["GET", "GET"])
        XCTAssertEqual(listingsSent(), [traceparent(1), traceparent(2)], "each page sends its own call's context")
    }

    func testEachCredentialPageAnAsyncSequenceFetchesIsAListCredentialsCall() async throws {
        try credentialsOnTheMock(3)
        let hook = Recording()
        setTelemetryHook(hook: hook)
        let platform = try Mock.server.asyncPlatform()
        var listed = 0
        for try await _ in platform.iterCredentials(filter: CredentialFilter(limit: 2)) { listed += 1 }
        XCTAssertEqual(listed, 3)
        XCTAssertEqual(hook.started.map(\.0), ["acedata.list_credentials", "acedata.list_credentials"])
        XCTAssertEqual(hook.finished.map(\.1.operation), ["acedata.list_credentials", "acedata.list_credentials"])
        XCTAssertEqual(listingsSent(), [traceparent(1), traceparent(2)])
    }

    func testAClientWithTelemetryOffNeverStartsTheHookNorSendsATraceparent() throws {
        try credentialsOnTheMock(3)
        let made = Mock.server.requests().count
        let hook = Recording()
        setTelemetryHook(hook: hook)
        let config = ClientConfig(baseUrl: Mock.baseURL, telemetry: "off")
        _ = try AkoolClient.fromClientCredentials(clientId: clientId, clientSecret: apiKey, config: config).request(method: "GET", path: quota)
        XCTAssertEqual(try AceDataPlatform(platformToken: Mock.server.platformToken, config: config)
            .iterCredentials(filter: CredentialFilter(limit: 2)).count, 3)
        XCTAssertEqual(hook.started.map(\.0), [], "neither the call nor a page")
        XCTAssertEqual(hook.finished.count, 0)
        let sent = Mock.server.requests().dropFirst(made)
        XCTAssertEqual(sent.map { request in "\(request.method) \(request.path.prefix { $0 != "?" })" },
                       ["POST \(getToken)", "GET \(quota)", "GET \(credentials)", "GET \(credentials)"])
        XCTAssertEqual(sent.map(\.traceparent), [nil, nil, nil, nil])

        // A client with the default setting is traced by the same hook: the option did it.
        _ = try AkoolClient.fromApiKey(apiKey: apiKey, config: ClientConfig(baseUrl: Mock.baseURL)).request(method: "GET", path: quota)
        XCTAssertEqual(hook.started.map(\.0), ["akool.request"])
        XCTAssertEqual(Mock.server.requests().last?.traceparent, traceparent(1))
    }

    func testAClientWithTelemetryNoPropagationIsTracedButSendsNoTraceparent() async throws {
        let hook = Recording()
        setTelemetryHook(hook: hook)
        let config = ClientConfig(baseUrl: Mock.baseURL, telemetry: "no_propagation")
        _ = try AkoolClient.fromClientCredentials(clientId: clientId, clientSecret: apiKey, config: config).request(method: "GET", path: quota)
        _ = try await AsyncAceDataPlatform(platformToken: Mock.server.platformToken, config: config).listCredentials()
        XCTAssertEqual(hook.started.map(\.0), ["akool.request", "acedata.list_credentials"])
        XCTAssertEqual(hook.finished.map(\.1.operation), ["akool.request", "acedata.list_credentials"])
        let fetch = try XCTUnwrap(hook.finished[0].1.tokenFetch, "the token fetch is still reported under the call")
        XCTAssertTrue(fetch.fetch.isLeader())
        XCTAssertEqual(Mock.server.requests().count, 3)
        XCTAssertEqual(Mock.server.requests().map(\.traceparent), [nil, nil, nil], "getToken, the call, the listing")
        XCTAssertEqual(Mock.server.requests().map(\.tracestate), [nil, nil, nil])
    }
}
