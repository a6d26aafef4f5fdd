// Hand-written beside the generated bindings: the core's log records (requests, retries, token fetches; never a
// secret) for a Swift program's own logging. Nothing is logged until a handler is set, as Swift server libraries
// expect; a program using swift-log forwards them with `TokensmithLogging.setHandler { Logger(label: $1).log(...) }`.

import Foundation

/// Where the core's log records go.
public enum TokensmithLogging {
    /// A record: its level, the core module that wrote it (e.g. `tokensmith::transport`) and its text.
    public typealias Handler = @Sendable (LogLevel, String, String) -> Void

    /// A record with its metadata: `trace_id` and `span_id` when a traced call wrote it (swift-log's
    /// `Logger.Metadata` takes them as they are), for log correlation.
    public typealias MetadataHandler = @Sendable (LogLevel, String, String, [String: String]) -> Void

    /// Sends the records up to `level` to `handler` (from the core's threads), or none when `handler` is nil.
    /// Returns false if the process already had another Rust logger.
    @discardableResult
    public static func setHandler(level: LogLevel = .debug, _ handler: Handler?) -> Bool {
        setHandler(level: level, metadata: handler.map { handler in
            { @Sendable level, target, message, _ in handler(level, target, message) }
        })
    }

    /// As `setHandler(level:_:)`, with each record's metadata.
    @discardableResult
    public static func setHandler(level: LogLevel = .debug, metadata handler: MetadataHandler?) -> Bool {
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
    let handler: TokensmithLogging.MetadataHandler

    init(_ handler: @escaping TokensmithLogging.MetadataHandler) { self.handler = handler }

    func log(level: LogLevel, target: String, message: String, traceId: String?, spanId: String?) {
        var metadata: [String: String] = [:]
        if let traceId, let spanId {
            metadata["trace_id"] = traceId
            metadata["span_id"] = spanId
        }
        handler(level, target, message, metadata)
    }
}
