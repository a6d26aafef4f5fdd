// Hand-written beside the generated bindings: conformances UniFFI 0.32 leaves out.

// The generated error enum has a `description` that calls the core's `Display`, but does not declare
// `CustomStringConvertible`, so "\(error)", `String(reflecting:)` and `localizedDescription` would print the
// enum case instead of the core's message. Declaring the conformance makes them all read the message.
extension TokensmithError: CustomStringConvertible {}

// A record's default description lists every field; per-call headers may carry the caller's own tokens, and
// secrets never appear in a description. Show the header names only.
extension CallOptions: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "CallOptions(timeoutMs: \(timeoutMs.map(String.init) ?? "nil"), headers: \(headers.map { $0.keys.sorted() }.map { "\($0)" } ?? "nil"), maxRetries: \(maxRetries.map(String.init) ?? "nil"))"
    }

    public var debugDescription: String { description }
}
