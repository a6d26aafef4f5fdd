// The testing kit for Swift: the mock Akool and AceData APIs in this process, on a free loopback port, for
// testing your own code offline with XCTest or swift-testing. What it reproduces faithfully, and what it does
// not: docs/testing.md.

import Tokensmith

/// A running mock server; stopped when released. One per test class is plenty: `reset()` it in `setUp()`.
public final class MockServer: @unchecked Sendable {
    private let native: NativeMockServer
    private static let demo = mockDemo()

    /// Starts a mock on a free loopback port.
    public init() throws {
        native = try NativeMockServer.start()
    }

    /// Both APIs' base URL, e.g. `http://127.0.0.1:41234`: pass it as `ClientConfig(baseUrl:)`.
    public var baseURL: String { native.baseUrl() }
    /// The Akool API key (also the client secret, as at Akool) the mock accepts.
    public var apiKey: String { Self.demo.apiKey }
    /// The Akool client id the mock accepts (method 2).
    public var clientId: String { Self.demo.clientId }
    /// The client secret that goes with `clientId`.
    public var clientSecret: String { Self.demo.clientSecret }
    /// The AceData platform token the mock accepts.
    public var platformToken: String { Self.demo.platformToken }
    /// An application whose credentials are `Token`s.
    public var applicationId: String { Self.demo.applicationId }
    /// An application of a proxy service, whose credentials are `Identity`s.
    public var proxyApplicationId: String { Self.demo.proxyApplicationId }

    /// Arms a fault, a rule as JSON (docs/mock.md), e.g. `#"{"kind": "status", "status": 503, "times": 2}"#`,
    /// `#"{"kind": "close_after"}"#`, `#"{"kind": "reset"}"#`.
    public func arm(_ ruleJSON: String) throws { try native.arm(ruleJson: ruleJSON) }

    /// The requests seen since the last reset, oldest first, credentials redacted (all shown with `reveal`).
    public func requests(reveal: Bool = false) -> [SeenRequest] { native.requests(reveal: reveal) }

    /// How many requests arrived, by `"METHOD /path"`.
    public func counts() -> [String: UInt64] { native.counts() }

    /// How many tokens Akool's getToken issued.
    public var tokenCount: UInt64 { native.tokensIssued() }

    /// How many TCP connections the mock accepted since the last reset (clients of equal settings share them).
    public var connectionCount: UInt64 { native.connections() }

    /// Adds an Akool account besides the demo one (`clientSecret` is also its API key), for tests of many tenants.
    public func addTenant(clientId: String, clientSecret: String) {
        native.addTenant(clientId: clientId, clientSecret: clientSecret)
    }

    /// The AceData credentials the mock holds, as the platform's JSON array.
    public func credentialsJSON() -> String { native.credentialsJson() }

    /// Expires every Akool token issued so far: the next call with one is answered 1101.
    public func expireTokens() { native.expireTokens() }

    /// Posts an Akool webhook of `payloadJSON` to `url` (loopback http), signed and encrypted with the demo client
    /// id and secret as Akool does; returns the status your handler answered.
    public func sendWebhook(url: String, payloadJSON: String) throws -> UInt16 {
        try native.sendWebhook(url: url, payloadJson: payloadJSON)
    }

    /// Closes a keep-alive connection once it has had no request in flight for `ms` milliseconds (`nil`: never, the
    /// default), as servers do (nginx's `keepalive_timeout`, Node's `keepAliveTimeout` of 5 s): with a FIN, and no
    /// `Connection: close` on the answer before. A connection that has not answered yet is left open; open
    /// connections follow a change at once; `reset()` turns it off.
    public func setIdleClose(ms: UInt64?) { native.setIdleCloseMs(ms: ms) }

    /// Restarts the mock on the same port, as a server process restarting would: every open connection is closed (a
    /// request in flight gets no answer) and a new listener is bound; tenants, tokens, credentials, counts and faults
    /// are kept. Returns once the new listener accepts.
    public func restart() throws { try native.restart() }

    /// Forgets requests, counts, tokens, credentials, faults and the idle close.
    public func reset() { native.reset() }

    /// Options pointing a client at this mock, with quick retries.
    public var config: ClientConfig { ClientConfig(baseUrl: baseURL, initialBackoffMs: 10) }

    /// An Akool client of the mock with client credentials (method 2).
    public func akool() throws -> AkoolClient {
        try AkoolClient.fromClientCredentials(clientId: clientId, clientSecret: clientSecret, config: config)
    }

    /// An AceData client of the mock.
    public func platform() throws -> AceDataPlatform { try AceDataPlatform(platformToken: platformToken, config: config) }

    /// The async twin of `akool()`.
    public func asyncAkool() throws -> AsyncAkoolClient {
        try AsyncAkoolClient.fromClientCredentials(clientId: clientId, clientSecret: clientSecret, config: config)
    }

    /// The async twin of `platform()`.
    public func asyncPlatform() throws -> AsyncAceDataPlatform {
        try AsyncAceDataPlatform(platformToken: platformToken, config: config)
    }
}
