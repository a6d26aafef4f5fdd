// Hand-written beside the generated bindings: conformances UniFFI 0.32 leaves out.

// The generated error enum has a `description` that calls the core's `Display`, but does not declare
// `CustomStringConvertible`, so "\(error)", `String(reflecting:)` and `localizedDescription` would print the
// enum case instead of the core's message. Declaring the conformance makes them all read the message.
extension TokensmithError: CustomStringConvertible {}
