// Telemetry's cost per call in Swift (bench/run.py's telemetry section): ns per `authHeaders()` with the token
// cached, no I/O. Unset, no telemetry hook is set (Swift's default: no OpenTelemetry API of ours to find);
// BENCH_TELEMETRY=on sets a hook that starts a span (returns a handle and its traceparent) and drops each report, as
// a bridge to swift-distributed-tracing does minus its tracer; TOKENSMITH_TELEMETRY=off is the off switch.
// Prints one JSON line.
//
//   AuthHeaders BASE N
import Foundation
import Tokensmith

/// Starts a span for every call and drops its report.
final class DroppingHook: TelemetryHook, @unchecked Sendable {
    func start(operation: String) -> TelemetryStart? {
        TelemetryStart(handle: 1, propagation: ["traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"])
    }

    func finish(handle: Int64, report: TelemetryReport) {}
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let iterations = Int(arguments[2]), iterations > 0 else {
    FileHandle.standardError.write("usage: AuthHeaders BASE N\n".data(using: .utf8)!)
    exit(2)
}
if ProcessInfo.processInfo.environment["BENCH_TELEMETRY"] == "on" {
    setTelemetryHook(hook: DroppingHook())
}
let client = try AkoolClient.fromClientCredentials(
    clientId: "mock-client-id", clientSecret: "mock-api-key-0123456789abcdefghi", config: ClientConfig(baseUrl: arguments[1]))
_ = try client.token()
let started = DispatchTime.now().uptimeNanoseconds
for _ in 0..<iterations {
    _ = try client.authHeaders()
}
let elapsed = DispatchTime.now().uptimeNanoseconds - started
print("{\"ns_per_call\": \(Double(elapsed) / Double(iterations))}")
