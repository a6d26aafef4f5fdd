import Foundation
import XCTest
@testable import Tokensmith

/// The Swift runner of the shared conformance suite (tests/conformance/cases.json; format in its README), with the
/// blocking clients on threads and with the async clients as concurrent tasks.
final class ConformanceTests: XCTestCase {
    func testEveryCaseBlocking() throws {
        try runEveryCase(async: false)
    }

    func testEveryCaseAsync() throws {
        try runEveryCase(async: true)
    }

    func runEveryCase(async: Bool) throws {
        let path = ProcessInfo.processInfo.environment["TOKENSMITH_CASES"] ?? "../tests/conformance/cases.json"
        let suite = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let cases = suite["cases"] as! [[String: Any]]
        XCTAssertGreaterThanOrEqual(cases.count, 25)
        var failures: [String] = []
        for spec in cases {
            do {
                try Case(spec: spec, suite: suite, async: async).run()
            } catch {
                failures.append("\(spec["name"]!): \(error)")
            }
        }
        XCTAssert(failures.isEmpty, "\(failures.count) of \(cases.count) cases failed:\n" + failures.joined(separator: "\n"))
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func unwrap(_ value: Any?) -> Any? {
    guard let value = value else { return nil }
    let mirror = Mirror(reflecting: value)
    if mirror.displayStyle == .optional { return mirror.children.first.map { unwrap($0.value) } ?? nil }
    if value is NSNull { return nil }
    return value
}

func number(_ value: Any?) -> Double? {
    switch unwrap(value) {
    case let n as NSNumber: return n.doubleValue
    case let n as Int32: return Double(n)
    case let n as Int64: return Double(n)
    case let n as Double: return n
    case let n as Int: return Double(n)
    default: return nil
    }
}

/// The matching rules of the suite's README.
func matches(_ expected: Any, _ actual: Any?, _ created: [String: Any], _ at: String) throws {
    let got = unwrap(actual)
    switch expected {
    case let fields as [String: Any]:
        let object = got as? [String: Any] ?? [:]
        for (key, want) in fields {
            let value = unwrap(object[key])
            switch want as? String {
            case "$absent": if value != nil { throw Failure("\(at): \(key): expected absent, got \(value!)") }
            case "$changed":
                if value == nil || "\(value!)" == "\(unwrap(created[key]) ?? "nil")" { throw Failure("\(at): \(key) unchanged") }
            default: try matches(want, value, created, "\(at): \(key)")
            }
        }
    case let items as [Any]:
        guard let list = got as? [Any], list.count == items.count else { throw Failure("\(at): expected \(items), got \(String(describing: got))") }
        for (want, value) in zip(items, list) { try matches(want, value, created, at) }
    case let text as String where text == "$present":
        if got == nil { throw Failure("\(at): expected present") }
    case let text as String where text.hasPrefix("$prefix:"):
        guard let value = got as? String, value.hasPrefix(String(text.dropFirst("$prefix:".count))) else {
            throw Failure("\(at): expected \(text), got \(String(describing: got))")
        }
    case let text as String where text.hasPrefix("$"):
        throw Failure("unknown matcher \(text)")
    case let text as String:
        if got as? String != text { throw Failure("\(at): expected \(text), got \(String(describing: got))") }
    case let want as NSNumber:
        guard let value = number(got), abs(value - want.doubleValue) < 1e-9 else { throw Failure("\(at): expected \(want), got \(String(describing: got))") }
    default:
        throw Failure("\(at): cannot compare \(expected)")
    }
}

/// An error's kind and fields, from the details every case carries; the case's name must be the kind.
func errorJSON(_ error: TokensmithError) -> [String: Any] {
    let details = error.details()
    let caseName = Mirror(reflecting: error).children.first!.label!
    precondition(caseName.lowercased() == details.kind.lowercased(), "case \(caseName) carries kind \(details.kind)")
    let fields: [String: Any?] = [
        "kind": details.kind, "akool_code": details.akoolCode, "status": details.status,
        "vendor_code": details.vendorCode, "field": details.field, "retry_after_seconds": details.retryAfterSeconds,
        "webhook_reason": details.webhookReason, "trace_id": details.traceId,
    ]
    return fields.mapValues { $0 ?? NSNull() }
}

/// A step's arguments, with `$created.id` substituted in strings.
struct Args {
    let values: [String: Any]
    let sub: (String) -> String
    func text(_ key: String) -> String? { (values[key] as? String).map(sub) }
    func double(_ key: String) -> Double? { (values[key] as? NSNumber)?.doubleValue }
    func int(_ key: String) -> Int32? { (values[key] as? NSNumber).map { $0.int32Value } }
}

/// Carries a task group's outcomes back to the waiting test thread.
final class OutcomeBox: @unchecked Sendable {
    var outcomes = [(Any?, TokensmithError?, Double)]()
}

final class Case: @unchecked Sendable {
    let spec: [String: Any]
    let suite: [String: Any]
    let canary: String
    /// Async mode: the async clients, and a step's `threads` are concurrent tasks.
    let async: Bool
    var akool: AkoolClient?
    var platform: AceDataPlatform?
    var asyncAkool: AsyncAkoolClient?
    var asyncPlatform: AsyncAceDataPlatform?
    var webhook: WebhookVerifier?
    var created: [String: Any] = [:]

    init(spec: [String: Any], suite: [String: Any], async: Bool) {
        self.async = async
        self.spec = spec
        self.suite = suite
        self.canary = suite["canary"] as! String
    }

    var client: [String: Any] { spec["client"] as! [String: Any] }

    func setting(_ key: String) -> String {
        let value = (client[key] ?? (suite["demo"] as! [String: Any])[key]) as! String
        return value == "$canary" ? canary : value
    }

    func build() throws {
        let timeout = (client["request_timeout_ms"] as? NSNumber).map { $0.int64Value }
        let config = ClientConfig(baseUrl: client["base_url"] as? String ?? Mock.baseURL, requestTimeoutMs: timeout, initialBackoffMs: 10)
        switch (client["type"] as! String, async) {
        case ("akool_api_key", false): akool = try AkoolClient.fromApiKey(apiKey: setting("api_key"), config: config)
        case ("akool_api_key", true): asyncAkool = try AsyncAkoolClient.fromApiKey(apiKey: setting("api_key"), config: config)
        case ("akool_client_credentials", false):
            akool = try AkoolClient.fromClientCredentials(clientId: setting("client_id"), clientSecret: setting("client_secret"), config: config)
        case ("akool_client_credentials", true):
            asyncAkool = try AsyncAkoolClient.fromClientCredentials(clientId: setting("client_id"), clientSecret: setting("client_secret"), config: config)
        case ("acedata", false): platform = try AceDataPlatform(platformToken: setting("platform_token"), config: config)
        case ("acedata", true): asyncPlatform = try AsyncAceDataPlatform(platformToken: setting("platform_token"), config: config)
        case ("webhook", _): webhook = try WebhookVerifier(clientId: setting("client_id"), clientSecret: setting("client_secret"))
        default: throw Failure("unknown client type")
        }
    }

    func sub(_ text: String) -> String {
        guard let id = created["id"] as? String else { return text }
        return text.replacingOccurrences(of: "$created.id", with: id)
    }

    func credentialJSON(_ c: Credential) -> [String: Any] {
        let fields: [String: Any?] = [
            "id": c.id(), "user_id": c.userId(), "application_id": c.applicationId(), "type": c.kindName(),
            "token": c.token(), "username": c.username(), "password": c.password(), "host": c.host(),
            "limited_amount": c.limitedAmount(), "used_amount": c.usedAmount(), "expired_at": c.expiredAt(),
            "created_at": c.createdAt(), "updated_at": c.updatedAt(), "name": c.name(),
        ]
        return fields.mapValues { $0 ?? NSNull() }
    }

    func body(_ args: [String: Any]) throws -> String? {
        try args["body"].map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]), as: UTF8.self) }
    }

    func parsed(_ data: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(data.utf8), options: [.fragmentsAllowed])
    }

    func newCredential(_ a: Args) -> NewCredential {
        NewCredential(
            applicationId: a.text("application_id")!, host: a.text("host"), limitedAmount: a.double("limited_amount"), expiredAt: a.text("expired_at"),
            name: a.text("name"), allowedApiIds: a.values["allowed_api_ids"] as? [String],
            metadataJson: (a.values["metadata"]).flatMap { try? JSONSerialization.data(withJSONObject: $0) }.map { String(decoding: $0, as: UTF8.self) })
    }

    func filter(_ a: Args) -> CredentialFilter {
        CredentialFilter(applicationId: a.text("application_id"), host: a.text("host"), limit: a.int("limit"), offset: a.int("offset"))
    }

    func changes(_ a: Args) -> CredentialChanges {
        CredentialChanges(
            name: a.text("name"), limitedAmount: a.double("limited_amount"), clearLimitedAmount: a.values["clear_limited_amount"] as? Bool ?? false,
            expiredAt: a.text("expired_at"), clearExpiredAt: a.values["clear_expired_at"] as? Bool ?? false)
    }

    func pageJSON(_ page: CredentialPage) -> [String: Any] {
        ["count": page.count, "items": page.items.map(credentialJSON)]
    }

    func itemsJSON(_ items: [Credential]) -> [String: Any] {
        ["count": items.count, "items": items.map(credentialJSON)]
    }

    func applicationJSON(_ a: Application) -> [String: Any] {
        let fields: [String: Any?] = [
            "id": a.id, "user_id": a.userId, "service_id": a.serviceId, "type": a.kind, "scope": a.scope,
            "remaining_amount": a.remainingAmount, "used_amount": a.usedAmount, "created_at": a.createdAt,
            "updated_at": a.updatedAt,
        ]
        return fields.mapValues { $0 ?? NSNull() }
    }

    func applicationsJSON(_ page: ApplicationPage) -> [String: Any] {
        ["count": page.count, "items": page.items.map(applicationJSON)]
    }

    func applicationFilter(_ a: Args) -> ApplicationFilter {
        ApplicationFilter(limit: a.int("limit"), offset: a.int("offset"))
    }

    /// A step's `call` object as the options of one call.
    func callOptions(_ a: Args) -> CallOptions? {
        guard let call = a.values["call"] as? [String: Any] else { return nil }
        return CallOptions(
            timeoutMs: (call["timeout_ms"] as? NSNumber)?.int64Value, headers: call["headers"] as? [String: String],
            maxRetries: (call["max_retries"] as? NSNumber)?.int32Value)
    }

    /// One op on the async clients (async mode); the webhook verifier is the same in both modes.
    func callAsync(_ op: String, _ args: [String: Any]) async throws -> Any {
        guard asyncAkool != nil || asyncPlatform != nil else { return try call(op, args) }
        let a = Args(values: args, sub: sub)
        let o = callOptions(a)
        switch op {
        case "token": return ["token": try await asyncAkool!.token()]
        case "auth_headers": return try await asyncAkool!.authHeaders()
        case "request": return try parsed(try await asyncAkool!.request(method: a.text("method")!, path: a.text("path")!, jsonBody: try body(args), options: o))
        case "create_credential": return credentialJSON(try await asyncPlatform!.createCredential(new: newCredential(a), options: o))
        case "list_credentials": return pageJSON(try await asyncPlatform!.listCredentials(filter: filter(a), options: o))
        case "iter_credentials":
            var items: [Credential] = []
            for try await credential in asyncPlatform!.iterCredentials(filter: filter(a), options: o) { items.append(credential) }
            return itemsJSON(items)
        case "list_applications": return applicationsJSON(try await asyncPlatform!.listApplications(filter: applicationFilter(a), options: o))
        case "get_application": return applicationJSON(try await asyncPlatform!.getApplication(id: a.text("id")!, options: o))
        case "get_credential": return credentialJSON(try await asyncPlatform!.getCredential(id: a.text("id")!, options: o))
        case "update_credential": return credentialJSON(try await asyncPlatform!.updateCredential(id: a.text("id")!, changes: changes(a), options: o))
        case "rotate_credential": return credentialJSON(try await asyncPlatform!.rotateCredential(id: a.text("id")!, options: o))
        case "delete_credential":
            try await asyncPlatform!.deleteCredential(id: a.text("id")!, options: o)
            return NSNull()
        default: throw Failure("unknown op \(op)")
        }
    }

    /// One op on the blocking clients.
    func call(_ op: String, _ args: [String: Any]) throws -> Any {
        let a = Args(values: args, sub: sub)
        let o = callOptions(a)
        func text(_ key: String) -> String? { a.text(key) }
        switch op {
        case "token": return ["token": try akool!.token()]
        case "auth_headers": return try akool!.authHeaders()
        case "request": return try parsed(try akool!.request(method: text("method")!, path: text("path")!, jsonBody: try body(args), options: o))
        case "create_credential": return credentialJSON(try platform!.createCredential(new: newCredential(a), options: o))
        case "list_credentials": return pageJSON(try platform!.listCredentials(filter: filter(a), options: o))
        case "iter_credentials": return itemsJSON(try platform!.iterCredentials(filter: filter(a), options: o))
        case "list_applications": return applicationsJSON(try platform!.listApplications(filter: applicationFilter(a), options: o))
        case "get_application": return applicationJSON(try platform!.getApplication(id: text("id")!, options: o))
        case "get_credential": return credentialJSON(try platform!.getCredential(id: text("id")!, options: o))
        case "update_credential": return credentialJSON(try platform!.updateCredential(id: text("id")!, changes: changes(a), options: o))
        case "rotate_credential": return credentialJSON(try platform!.rotateCredential(id: text("id")!, options: o))
        case "delete_credential":
            try platform!.deleteCredential(id: text("id")!, options: o)
            return NSNull()
        case "webhook_verify":
            let body = text("body")!
            let event = try text("expected_id").map { try webhook!.verifyExpectingId(body: body, expectedId: $0) } ?? webhook!.verify(body: body)
            let payload = try JSONSerialization.jsonObject(with: Data(event.payloadJson.utf8))
            return ["id": event.id ?? NSNull(), "status": event.status ?? NSNull(), "timestamp_ms": event.timestampMs,
                    "nonce": event.nonce, "payload": payload] as [String: Any]
        default: throw Failure("unknown op \(op)")
        }
    }

    func check(_ at: String, _ expect: [String: Any], _ result: Any?, _ error: TokensmithError?, _ elapsedMs: Double) throws {
        if spec["canary"] as? Bool == true {
            var forms = [String]()
            if let error = error { forms += ["\(error)", String(reflecting: error), error.localizedDescription] }
            if let akool = akool { forms += ["\(akool)", String(reflecting: akool)] }
            if let platform = platform { forms += ["\(platform)", String(reflecting: platform)] }
            if let akool = asyncAkool { forms += ["\(akool)", String(reflecting: akool)] }
            if let platform = asyncPlatform { forms += ["\(platform)", String(reflecting: platform)] }
            if let webhook = webhook { forms += ["\(webhook)", String(reflecting: webhook)] }
            if let leak = forms.first(where: { $0.contains(canary) }) { throw Failure("\(at): the canary leaked: \(leak)") }
        }
        guard let wanted = expect["error"] as? [String: Any] else {
            if let error = error { throw Failure("\(at): expected success, got \(error)") }
            if let want = expect["result"] {
                let text = sub(String(decoding: try JSONSerialization.data(withJSONObject: want, options: [.fragmentsAllowed]), as: UTF8.self))
                try matches(try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]), result, created, at)
            }
            let minimum = (expect["min_elapsed_ms"] as? NSNumber)?.doubleValue ?? 0
            if elapsedMs < minimum { throw Failure("\(at): took \(elapsedMs) ms") }
            return
        }
        guard let error = error else { throw Failure("\(at): expected an error, got \(String(describing: result))") }
        var w = wanted
        if let part = w.removeValue(forKey: "message_contains") as? String, !"\(error)".contains(part) {
            throw Failure("\(at): \(error) lacks \(part)")
        }
        try matches(w, errorJSON(error), [:], at)
    }

    func timed(_ op: String, _ args: [String: Any]) async -> (Any?, TokensmithError?, Double) {
        let started = Date()
        var outcome: (Any?, TokensmithError?, Double)
        do { outcome = (try await callAsync(op, args), nil, 0) } catch let error as TokensmithError { outcome = (nil, error, 0) } catch { outcome = (nil, nil, -1) }
        outcome.2 = outcome.2 < 0 ? -1 : Date().timeIntervalSince(started) * 1000
        return outcome
    }

    /// `tasks` concurrent calls in a task group, waited for on this (test) thread.
    func onTasks(_ tasks: Int, _ op: String, _ args: [String: Any]) -> [(Any?, TokensmithError?, Double)] {
        let done = DispatchSemaphore(value: 0)
        let box = OutcomeBox()
        Task.detached {
            let outcomes = await withTaskGroup(of: (Any?, TokensmithError?, Double).self) { group in
                for _ in 0..<tasks { group.addTask { await self.timed(op, args) } }
                var all = [(Any?, TokensmithError?, Double)]()
                for await outcome in group { all.append(outcome) }
                return all
            }
            box.outcomes = outcomes
            done.signal()
        }
        done.wait()
        return box.outcomes
    }

    func run() throws {
        Mock.reset()
        for (index, step) in (spec["steps"] as! [[String: Any]]).enumerated() {
            let op = step["op"] as! String
            let at = "step \(index) (\(op))"
            let args = step["args"] as? [String: Any] ?? [:]
            if op == "fault" {
                Mock.fault(String(decoding: try JSONSerialization.data(withJSONObject: args), as: UTF8.self))
                continue
            }
            if op == "expire_tokens" { Mock.expireTokens(); continue }
            let expect = step["expect"] as? [String: Any] ?? ["ok": true]
            if akool == nil && platform == nil && asyncAkool == nil && asyncPlatform == nil && webhook == nil {
                do { try build() } catch let error as TokensmithError {
                    try check(at, expect, nil, error, 0)
                    return
                }
            }
            if op == "build" { try check(at, expect, nil, nil, 0); continue }
            let threads = (step["threads"] as? NSNumber)?.intValue ?? 1
            var outcomes = [(Any?, TokensmithError?, Double)](repeating: (nil, nil, 0), count: threads)
            let lock = NSLock()
            if async { outcomes = onTasks(threads, op, args) } else { DispatchQueue.concurrentPerform(iterations: threads) { i in
                let started = Date()
                var outcome: (Any?, TokensmithError?, Double)
                do { outcome = (try self.call(op, args), nil, 0) } catch let error as TokensmithError { outcome = (nil, error, 0) } catch { outcome = (nil, nil, -1) }
                outcome.2 = outcome.2 < 0 ? -1 : Date().timeIntervalSince(started) * 1000
                lock.lock(); outcomes[i] = outcome; lock.unlock()
            } }
            for (result, error, elapsed) in outcomes {
                if elapsed < 0 { throw Failure("\(at): an error that is not a TokensmithError") }
                if op == "create_credential", error == nil, let result = result as? [String: Any] { created = result }
                try check(at, expect, result, error, elapsed)
            }
        }
        let expected = (spec["counts"] as! [String: Any]).reduce(into: [String: Int]()) { $0[sub($1.key)] = ($1.value as! NSNumber).intValue }
        let state = Mock.state()
        let actual = (state["counts"] as! [String: Any]).mapValues { ($0 as! NSNumber).intValue }
        if expected != actual { throw Failure("counts: expected \(expected), got \(actual)") }
        if let wantedState = spec["state"] { try matches(wantedState, state, [:], "state") }
    }
}
