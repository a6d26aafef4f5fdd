// Hand-written beside the generated bindings: the core's log records (requests, retries, token fetches; never a
// secret) for a Swift program's own logging. Nothing is logged until a handler is set, as Swift server libraries
// expect; a program using swift-log forwards them with `TokensmithLogging.setHandler { Logger(label: $1).log(...) }`.

import Foundation

/// Where the core's log records go.
public enum TokensmithLogging {
    /// A record: its level, the core module that wrote it (e.g. `tokensmith::transport`) and its text.
    public typealias Handler = @Sendable (LogLevel, String, String) -> Void

    /// Sends the records up to `level` to `handler` (from the core's threads), or none when `handler` is nil.
    /// Returns false if the process already had another Rust logger.
    @discardableResult
    public static func setHandler(level: LogLevel = .debug, _ handler: Handler?) -> Bool {
        setLogSink(sink: handler.map(ClosureSink.init), maxLevel: level)
    }

    /// Writes the records to standard error, one line each.
    @discardableResult
    public static func logToStandardError(level: LogLevel = .info) -> Bool {
        setHandler(level: level) { level, target, message in
            FileHandle.standardError.write(Data("tokensmith \(level) \(target): \(message)\n".utf8))
        }
    }
}

private final class ClosureSink: LogSink, @unchecked Sendable {
    let handler: TokensmithLogging.Handler

    init(_ handler: @escaping TokensmithLogging.Handler) { self.handler = handler }

    func log(level: LogLevel, target: String, message: String) { handler(level, target, message) }
}
